import type { WebhookEventType, WebhookPayload } from '@scriptripper/contracts';

/**
 * A webhook's own stream (`webhook-<id>`): registered, deleted. Its URL and secret are sealed
 * with the owner's data key (`PersonalDataCipher`, itself sealed with JOBS_KEY_ENCRYPTION_KEY),
 * so a purge shreds them in the append-only log too.
 */
export interface WebhookRegisteredData {
  readonly webhook_id: string;
  readonly user_id: string;
  /** Sealed (`pd1:...`). */
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  /** Sealed (`pd1:...`): the signing secret. */
  readonly secret: string;
  readonly at: string;
}
export interface WebhookDeletedData {
  readonly webhook_id: string;
  readonly user_id: string;
  readonly at: string;
}

/** One delivery's stream (`webhook-delivery-<id>`): scheduled, then one event per attempt. */
export interface WebhookDeliveryScheduledData {
  readonly delivery_id: string;
  readonly webhook_id: string;
  readonly user_id: string;
  readonly event_id: string;
  readonly event_type: WebhookEventType;
  readonly job_id: string;
  /** The body every attempt sends, fixed when scheduled. */
  readonly payload: WebhookPayload;
  readonly at: string;
}

export type WebhookAttemptOutcome = 'succeeded' | 'retrying' | 'failed';

export interface WebhookDeliveryAttemptedData {
  readonly delivery_id: string;
  readonly webhook_id: string;
  readonly user_id: string;
  readonly attempt: number;
  readonly status_code: number | null;
  readonly duration_ms: number;
  readonly error: string | null;
  readonly outcome: WebhookAttemptOutcome;
  readonly next_attempt_at: string | null;
  readonly at: string;
}

export interface WebhookEventMap {
  WebhookRegistered: WebhookRegisteredData;
  WebhookDeleted: WebhookDeletedData;
  WebhookDeliveryScheduled: WebhookDeliveryScheduledData;
  WebhookDeliveryAttempted: WebhookDeliveryAttemptedData;
}
export type WebhookEventName = keyof WebhookEventMap;
export type WebhookEvent = {
  [K in WebhookEventName]: { readonly type: K; readonly data: WebhookEventMap[K] };
}[WebhookEventName];

export const WEBHOOK_EVENT_NAMES: readonly WebhookEventName[] = [
  'WebhookRegistered',
  'WebhookDeleted',
  'WebhookDeliveryScheduled',
  'WebhookDeliveryAttempted',
];

export const webhookStreamId = (webhookId: string) => `webhook-${webhookId}`;
export const WEBHOOK_STREAM_TYPE = 'webhook';
export const webhookDeliveryStreamId = (deliveryId: string) => `webhook-delivery-${deliveryId}`;
export const WEBHOOK_DELIVERY_STREAM_TYPE = 'webhook-delivery';
