import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { WebhookDeliveryStatus, WebhookEventType, WebhookPayload } from '@scriptripper/contracts';

/**
 * Read model of deliveries: the dispatcher picks due ones by (status, next_attempt_at); a
 * webhook's list is by (webhook_id, created_at). `lease_until` is the dispatcher's own claim on
 * a delivery while it tries it (not derived from events: a rebuild clears it, which is safe).
 */
@Entity({ tableName: 'webhook_deliveries' })
@Index({ properties: ['status', 'nextAttemptAt'] })
@Index({ properties: ['webhookId', 'createdAt', 'id'] })
@Unique({ properties: ['webhookId', 'eventId'] })
export class WebhookDeliveryRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  webhookId!: string;

  @Property({ type: 'text' })
  userId!: string;

  @Property({ type: 'text' })
  eventId!: string;

  @Property({ type: 'text' })
  eventType!: WebhookEventType;

  @Property({ type: 'uuid' })
  jobId!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  payload!: WebhookPayload;

  @Property({ type: 'text' })
  status!: WebhookDeliveryStatus;

  @Property({ type: 'integer' })
  attempts!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt!: Date;
}

/** Every try of a delivery, as `GET /webhooks/{id}/deliveries` shows it. */
@Entity({ tableName: 'webhook_delivery_attempts' })
export class WebhookAttemptRecord {
  @PrimaryKey({ type: 'uuid' })
  deliveryId!: string;

  @PrimaryKey({ type: 'integer' })
  attempt!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  attemptedAt!: Date;

  @Property({ type: 'integer', nullable: true })
  statusCode!: number | null;

  @Property({ type: 'integer' })
  durationMs!: number;

  @Property({ type: 'text', nullable: true })
  error!: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;
}
