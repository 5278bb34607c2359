import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** Read model of batches: an owner's list is by (user_id, created_at); items keep the submitted order. */
@Entity({ tableName: 'batches' })
@Index({ properties: ['userId', 'createdAt', 'id'] })
export class BatchRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  userId!: string;

  @Property({ type: 'text' })
  profileKey!: string;

  @Property({ type: 'integer' })
  profileVersion!: number;

  /** The batch's job ids in the items' order. */
  @Property({ type: 'json', columnType: 'jsonb' })
  jobIds!: string[];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;
}

/** A client's `Idempotency-Key` on `POST /jobs/batch`, per user; its primary key lets one of two concurrent creates win. */
@Entity({ tableName: 'batch_idempotency_keys' })
export class BatchIdempotencyKey {
  @PrimaryKey({ type: 'text' })
  userId!: string;

  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  requestHash!: string;

  @Property({ type: 'uuid' })
  batchId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;
}
