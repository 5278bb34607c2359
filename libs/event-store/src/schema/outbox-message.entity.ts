import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { MessageEnvelope } from '@scriptripper/contracts';

/**
 * A message waiting for the relay, written in the same transaction as the events it carries.
 * `transactionId` (xid8) is what lets the relay publish in a safe order: positions are handed
 * out before commit, so a lower position can become visible after a higher one.
 */
@Entity({ tableName: 'outbox' })
@Index({ name: 'outbox_transaction_id_position_index', properties: ['transactionId', 'position'] })
@Index({ name: 'outbox_created_at_index', properties: ['createdAt'] })
export class OutboxMessage {
  @PrimaryKey({ type: new BigIntType('number'), generated: 'by default as identity' })
  position!: number;

  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()' })
  transactionId!: string;

  @Property({ type: 'uuid' })
  messageId!: string;

  /** The stream name before the deployment's key prefix, e.g. `events:jobs` or `work:analysis`. */
  @Property({ type: 'text' })
  destination!: string;

  @Property({ type: 'jsonb' })
  envelope!: MessageEnvelope;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
