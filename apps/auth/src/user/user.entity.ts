import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { UserRole } from '@scriptripper/contracts';

/** Read model of users. Emails are stored lower-cased, so the unique index is case-insensitive. */
@Entity({ tableName: 'users' })
export class User {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  email!: string;

  @Property({ type: 'text', nullable: true })
  name!: string | null;

  @Property({ type: 'text' })
  role!: UserRole;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt!: Date;
}
