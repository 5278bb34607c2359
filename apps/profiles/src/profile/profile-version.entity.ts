import { Entity, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import type { ProfileVersionStatus } from '@scriptripper/contracts';
import { Profile } from './profile.entity';

/** Read model of profile versions: immutable apart from their status. */
@Entity({ tableName: 'profile_versions' })
export class ProfileVersion {
  @ManyToOne(() => Profile, { primary: true, ref: true })
  profile!: Ref<Profile>;

  @PrimaryKey({ type: 'integer' })
  version!: number;

  @Property({ type: 'json', columnType: 'jsonb' })
  prompts!: Record<string, unknown>;

  @Property({ type: 'json', columnType: 'jsonb' })
  parameters!: Record<string, unknown>;

  /** The output JSON Schema (the data model's `schema` column). */
  @Property({ type: 'json', columnType: 'jsonb', fieldName: 'schema' })
  outputSchema!: Record<string, unknown>;

  @Property({ type: 'text' })
  template!: string;

  @Property({ type: 'text' })
  status!: ProfileVersionStatus;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;
}
