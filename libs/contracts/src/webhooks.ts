import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PageRequest } from './identity';

/**
 * Webhooks: a user registers a URL for job events; the jobs service delivers each event as a
 * signed POST, retried with backoff, every attempt logged. Receivers check the signature with
 * `verifyWebhookSignature` (below), or the same few lines in their own language.
 */

export const WEBHOOK_EVENT_TYPES = ['job.completed', 'job.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Header names of a delivery. */
export const WebhookHeaders = {
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` */
  signature: 'scriptripper-signature',
  /** One delivery (the same across its retries): receivers dedupe on it. */
  deliveryId: 'scriptripper-delivery-id',
  event: 'scriptripper-event',
} as const;

/** RPC patterns of webhooks (owned by the jobs service, on `rpc:jobs`). */
export const WebhooksRpc = {
  create: 'jobs.create-webhook',
  list: 'jobs.list-webhooks',
  delete: 'jobs.delete-webhook',
  listDeliveries: 'jobs.list-webhook-deliveries',
} as const;

export interface CreateWebhookRequest {
  /** http or https, no credentials in it; private and loopback addresses refused by default. */
  readonly url: string;
  readonly events: readonly WebhookEventType[];
}

export interface WebhookView {
  readonly id: string;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly created_at: string;
}

/** The answer to a create: the signing secret, shown this once only. */
export interface CreatedWebhook extends WebhookView {
  readonly secret: string;
}

export interface DeleteWebhookRequest {
  readonly webhook_id: string;
}

export interface ListWebhookDeliveriesRequest extends PageRequest {
  readonly webhook_id: string;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One try at delivering: what the receiver answered (or why nothing came back), and what follows. */
export interface WebhookAttemptView {
  readonly attempt: number;
  readonly attempted_at: string;
  /** The receiver's HTTP status; null when no answer came (network error, timeout, refused address). */
  readonly status_code: number | null;
  readonly duration_ms: number;
  readonly error: string | null;
  /** When the next try is due; null when this one succeeded or was the last. */
  readonly next_attempt_at: string | null;
}

export interface WebhookDeliveryView {
  readonly id: string;
  readonly webhook_id: string;
  /** The job event's id (the body's `id`). */
  readonly event_id: string;
  readonly event_type: WebhookEventType;
  readonly job_id: string;
  readonly status: WebhookDeliveryStatus;
  readonly next_attempt_at: string | null;
  readonly created_at: string;
  readonly attempts: readonly WebhookAttemptView[];
}

/** The JSON body of a delivery. */
export interface WebhookPayload {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly created_at: string;
  readonly data: {
    readonly job_id: string;
    readonly status: string;
    readonly attempt: number;
    readonly cost?: number;
    readonly artifact_ids?: readonly string[];
    readonly error?: { readonly code: string; readonly message: string; readonly retryable: boolean };
  };
}

/** `t=<unix seconds>,v1=<hex>` for `body` signed with `secret` at `timestamp` (unix seconds). */
export function signWebhookPayload(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${webhookHmac(secret, timestamp, body)}`;
}

/**
 * What a receiver runs on every delivery: true when `header` (ScriptRipper-Signature) is a
 * signature of the raw `body` with `secret`, made at most `toleranceSeconds` from `now`
 * (which refuses replays of old deliveries). Compares in constant time.
 */
export function verifyWebhookSignature(input: {
  readonly secret: string;
  readonly header: string | undefined;
  readonly body: string | Buffer;
  readonly toleranceSeconds?: number;
  readonly now?: Date;
}): boolean {
  const parts = new Map(
    (input.header ?? '').split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(given)) return false;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const body = typeof input.body === 'string' ? input.body : input.body.toString('utf8');
  const expected = Buffer.from(webhookHmac(input.secret, timestamp, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

function webhookHmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}
