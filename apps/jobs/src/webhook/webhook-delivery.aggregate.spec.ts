import type { WebhookPayload } from '@scriptripper/contracts';
import {
  decideDelivery,
  evolveDelivery,
  initialDeliveryState,
  isRetryableStatus,
  retryDelayMs,
  type AttemptResult,
  type DeliveryState,
  type DeliveryStreamEvent,
  type RetryPolicy,
} from './webhook-delivery.aggregate';

const policy: RetryPolicy = { maxAttempts: 3, baseMs: 1_000, maxMs: 3_000 };
const payload: WebhookPayload = {
  id: 'event-1',
  type: 'job.completed',
  created_at: '2026-11-28T10:00:00.000Z',
  data: { job_id: 'job-1', status: 'completed', attempt: 1 },
};
const at = '2026-11-28T10:00:00.000Z';

const given = (...events: DeliveryStreamEvent[]): DeliveryState =>
  events.reduce(evolveDelivery, initialDeliveryState);
const scheduled = decideDelivery(initialDeliveryState, {
  type: 'ScheduleDelivery',
  deliveryId: 'd-1',
  webhookId: 'w-1',
  userId: 'u-1',
  eventId: 'event-1',
  eventType: 'job.completed',
  jobId: 'job-1',
  payload,
  at,
});
const answered = (statusCode: number): AttemptResult => ({
  statusCode,
  durationMs: 12,
  error: statusCode < 300 ? null : `the receiver answered ${statusCode}`,
  delivered: statusCode >= 200 && statusCode < 300,
  retryable: isRetryableStatus(statusCode),
});
const noAnswer: AttemptResult = {
  statusCode: null,
  durationMs: 10_000,
  error: 'no answer within 10000 ms',
  delivered: false,
  retryable: true,
};
const attempt = (state: DeliveryState, result: AttemptResult) =>
  decideDelivery(state, { type: 'RecordAttempt', result, policy, at });

describe('a webhook delivery', () => {
  it('backs off exponentially from the base, capped', () => {
    expect([1, 2, 3, 4, 40].map((n) => retryDelayMs(n, policy))).toEqual([1_000, 2_000, 3_000, 3_000, 3_000]);
  });

  it('retries network errors, timeouts, 408, 429 and 5xx; not other answers', () => {
    expect([408, 429, 500, 502, 503].every(isRetryableStatus)).toBe(true);
    expect([200, 301, 400, 401, 404, 410, 422].some(isRetryableStatus)).toBe(false);
  });

  it('is scheduled once: scheduling again changes nothing', () => {
    expect(scheduled).toHaveLength(1);
    expect(decideDelivery(given(...scheduled), { ...scheduledCommand(), type: 'ScheduleDelivery' })).toEqual(
      [],
    );
  });

  it('succeeds on a 2xx answer, and takes no more tries after', () => {
    const [event] = attempt(given(...scheduled), answered(204));
    expect(event?.data).toMatchObject({
      attempt: 1,
      outcome: 'succeeded',
      status_code: 204,
      next_attempt_at: null,
    });
    expect(attempt(given(...scheduled, event as DeliveryStreamEvent), answered(200))).toEqual([]);
  });

  it('fails twice, retried after 1 s then 2 s, then succeeds on the third try', () => {
    let history: DeliveryStreamEvent[] = [...scheduled];
    const outcomes = [];
    for (const result of [answered(500), noAnswer, answered(200)]) {
      const [event] = attempt(given(...history), result);
      history = [...history, event as DeliveryStreamEvent];
      outcomes.push(event?.data);
    }
    expect(outcomes).toMatchObject([
      { attempt: 1, outcome: 'retrying', status_code: 500, next_attempt_at: '2026-11-28T10:00:01.000Z' },
      { attempt: 2, outcome: 'retrying', status_code: null, next_attempt_at: '2026-11-28T10:00:02.000Z' },
      { attempt: 3, outcome: 'succeeded', status_code: 200, next_attempt_at: null },
    ]);
    expect(given(...history)).toMatchObject({ status: 'succeeded', attempts: 3 });
  });

  it('is given up after the last attempt fails', () => {
    let history: DeliveryStreamEvent[] = [...scheduled];
    for (let n = 0; n < 3; n++) history = [...history, ...attempt(given(...history), answered(503))];
    expect(history.at(-1)?.data).toMatchObject({ attempt: 3, outcome: 'failed', next_attempt_at: null });
    expect(given(...history).status).toBe('failed');
    expect(attempt(given(...history), answered(200))).toEqual([]);
  });

  it('is given up at once on an answer that another try would not change (a 4xx)', () => {
    const [event] = attempt(given(...scheduled), answered(410));
    expect(event?.data).toMatchObject({ attempt: 1, outcome: 'failed', error: 'the receiver answered 410' });
  });
});

function scheduledCommand() {
  return {
    deliveryId: 'd-1',
    webhookId: 'w-1',
    userId: 'u-1',
    eventId: 'event-1',
    eventType: 'job.completed' as const,
    jobId: 'job-1',
    payload,
    at,
  };
}
