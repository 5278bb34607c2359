import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { WebhookEventType } from '@scriptripper/contracts';

/** Read model of live webhooks; a deleted webhook's row is removed. URL and secret stay sealed here too. */
@Entity({ tableName: 'webhooks' })
@Index({ properties: ['userId', 'createdAt', 'id'] })
export class WebhookRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  userId!: string;

  /** Sealed with the owner's data key. */
  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  events!: WebhookEventType[];

  /** Sealed with the owner's data key. */
  @Property({ type: 'text' })
  secret!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;
}
