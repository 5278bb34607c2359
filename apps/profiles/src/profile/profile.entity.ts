import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Read model of profiles; lists are ordered by key. */
@Entity({ tableName: 'profiles' })
export class Profile {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  key!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description!: string | null;

  @Property({ type: 'integer' })
  defaultVersion!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt!: Date;
}
