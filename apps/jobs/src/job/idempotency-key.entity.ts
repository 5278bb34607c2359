import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A client's `Idempotency-Key`, per user, with the hash of the request it came with. Its
 * primary key makes two concurrent creates with one key collide: only one job is created.
 */
@Entity({ tableName: 'idempotency_keys' })
// Deleting a job deletes the keys that would answer it again.
@Index({ properties: ['jobId'] })
export class IdempotencyKey {
  @PrimaryKey({ type: 'text' })
  userId!: string;

  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  requestHash!: string;

  @Property({ type: 'uuid' })
  jobId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;
}
