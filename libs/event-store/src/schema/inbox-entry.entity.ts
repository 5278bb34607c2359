import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A message a consumer has handled; its presence makes a redelivery a no-op. */
@Entity({ tableName: 'inbox' })
export class InboxEntry {
  @PrimaryKey({ type: 'text' })
  consumer!: string;

  @PrimaryKey({ type: 'text' })
  messageId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  handledAt!: Date;
}
