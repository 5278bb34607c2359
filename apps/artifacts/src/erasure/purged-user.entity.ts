import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Users whose artifacts were erased on UserPurged. Events of their jobs can still arrive afterwards
 * (a JobCreated handled after the purge, a worker finishing a job): nothing more is registered for
 * them. Written beside the erasure, not a projection of this service's events.
 */
@Entity({ tableName: 'purged_users' })
export class PurgedUser {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  purgedAt!: Date;
}
