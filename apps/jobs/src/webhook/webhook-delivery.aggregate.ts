import type { WebhookEventType, WebhookPayload } from '@scriptripper/contracts';
import type {
  WebhookAttemptOutcome,
  WebhookDeliveryAttemptedData,
  WebhookDeliveryScheduledData,
} from './webhook.events';

/**
 * One delivery of one job event to one webhook: scheduled, then tried until the receiver
 * answers 2xx, a try fails for good (a 4xx other than 408/429, a refused address), or the
 * attempts run out. Pure: the dispatcher does the HTTP and reports the result here.
 */
export type DeliveryState =
  | { readonly status: 'none' }
  | {
      readonly status: 'pending' | 'succeeded' | 'failed';
      readonly deliveryId: string;
      readonly webhookId: string;
      readonly userId: string;
      readonly attempts: number;
    };
export const initialDeliveryState: DeliveryState = { status: 'none' };

export type DeliveryStreamEvent =
  | { readonly type: 'WebhookDeliveryScheduled'; readonly data: WebhookDeliveryScheduledData }
  | { readonly type: 'WebhookDeliveryAttempted'; readonly data: WebhookDeliveryAttemptedData };

/** What one try came to: the receiver's status, or no answer (with why), and whether to try again. */
export interface AttemptResult {
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  /** A 2xx answer. */
  readonly delivered: boolean;
  /** Worth another try: no answer (network, timeout), or 408, 429 or 5xx. */
  readonly retryable: boolean;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

export type DeliveryCommand =
  | {
      readonly type: 'ScheduleDelivery';
      readonly deliveryId: string;
      readonly webhookId: string;
      readonly userId: string;
      readonly eventId: string;
      readonly eventType: WebhookEventType;
      readonly jobId: string;
      readonly payload: WebhookPayload;
      readonly at: string;
    }
  | {
      readonly type: 'RecordAttempt';
      readonly result: AttemptResult;
      readonly policy: RetryPolicy;
      readonly at: string;
    };

/** The wait after failed try number `attempt` (1-based): base, 2 x base, 4 x base ..., at most `maxMs`. */
export function retryDelayMs(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>): number {
  return Math.min(policy.baseMs * 2 ** Math.min(attempt - 1, 30), policy.maxMs);
}

/** Whether an HTTP answer is worth another try (the receiver is overloaded, or failed on its side). */
export function isRetryableStatus(statusCode: number): boolean {
  return statusCode === 408 || statusCode === 429 || statusCode >= 500;
}

export function evolveDelivery(state: DeliveryState, event: DeliveryStreamEvent): DeliveryState {
  if (event.type === 'WebhookDeliveryScheduled') {
    return {
      status: 'pending',
      deliveryId: event.data.delivery_id,
      webhookId: event.data.webhook_id,
      userId: event.data.user_id,
      attempts: 0,
    };
  }
  if (state.status === 'none') return state;
  const status: Record<WebhookAttemptOutcome, 'pending' | 'succeeded' | 'failed'> = {
    succeeded: 'succeeded',
    retrying: 'pending',
    failed: 'failed',
  };
  return { ...state, status: status[event.data.outcome], attempts: event.data.attempt };
}

export function decideDelivery(state: DeliveryState, command: DeliveryCommand): DeliveryStreamEvent[] {
  if (command.type === 'ScheduleDelivery') {
    if (state.status !== 'none') return [];
    return [
      {
        type: 'WebhookDeliveryScheduled',
        data: {
          delivery_id: command.deliveryId,
          webhook_id: command.webhookId,
          user_id: command.userId,
          event_id: command.eventId,
          event_type: command.eventType,
          job_id: command.jobId,
          payload: command.payload,
          at: command.at,
        },
      },
    ];
  }
  // A delivery already decided (by another instance's try) takes no more tries.
  if (state.status !== 'pending') return [];
  const attempt = state.attempts + 1;
  const { result, policy } = command;
  const outcome: WebhookAttemptOutcome = result.delivered
    ? 'succeeded'
    : result.retryable && attempt < policy.maxAttempts
      ? 'retrying'
      : 'failed';
  const nextAttemptAt =
    outcome === 'retrying'
      ? new Date(new Date(command.at).getTime() + retryDelayMs(attempt, policy)).toISOString()
      : null;
  return [
    {
      type: 'WebhookDeliveryAttempted',
      data: {
        delivery_id: state.deliveryId,
        webhook_id: state.webhookId,
        user_id: state.userId,
        attempt,
        status_code: result.statusCode,
        duration_ms: result.durationMs,
        error: result.error,
        outcome,
        next_attempt_at: nextAttemptAt,
        at: command.at,
      },
    },
  ];
}
