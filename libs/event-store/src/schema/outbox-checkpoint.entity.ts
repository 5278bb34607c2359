import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * How far one relay got, in the relay's own order (transaction id, then position), and under
 * which Redis epoch it published. Lives in Postgres so a Redis loss cannot lose it.
 */
@Entity({ tableName: 'outbox_checkpoint' })
export class OutboxCheckpoint {
  @PrimaryKey({ type: 'text' })
  name!: string;

  @Property({ type: 'string', columnType: 'xid8', defaultRaw: `'0'` })
  lastTransactionId!: string;

  @Property({ type: new BigIntType('number'), defaultRaw: '0' })
  lastPosition!: number;

  @Property({ type: 'text', nullable: true })
  epoch!: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;
}
