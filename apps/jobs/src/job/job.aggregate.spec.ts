import { DomainError, type JobMetrics } from '@scriptripper/contracts';
import { decide, evolve, initialJobState, workOf, type Job, type JobCommand } from './job.aggregate';
import type { JobEvent } from './job.events';

const at = '2026-01-01T10:00:00.000Z';
const later = '2026-01-01T10:00:05.000Z';
const metrics: JobMetrics = { duration_ms: 60_000, words: 120, segments: 10, speakers: 2, tokens: 0 };
const input = { uri: 'blob://sha256/abc', sha256: 'abc', size: 10 };
const create: JobCommand = {
  type: 'CreateJob',
  jobId: 'j1',
  userId: 'u1',
  userRole: 'user',
  profile: { id: 'p1', key: 'meeting', version: 2 },
  input,
  format: 'webvtt',
  filename: 'standup.vtt',
  meetingDate: '2026-01-01',
  at,
};
const given = (...events: JobEvent[]) => events.reduce(evolve, initialJobState);
const when = (events: JobEvent[], command: JobCommand) => decide(given(...events), command);
const then = (events: JobEvent[], command: JobCommand) => [...events, ...when(events, command)];
const refusal = (events: JobEvent[], command: JobCommand) => {
  try {
    when(events, command);
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('the command was not refused');
};

const created = decide(initialJobState, create);
const started = (attempt = 1): JobCommand => ({ type: 'MarkStarted', attempt, at });
const completed = (attempt = 1): JobCommand => ({
  type: 'MarkCompleted',
  attempt,
  metrics,
  cost: 0,
  artifactIds: ['a1'],
  at,
});
const failed = (attempt: number, retryable: boolean): JobCommand => ({
  type: 'MarkFailed',
  attempt,
  error: { code: retryable ? 'PROVIDER_UNAVAILABLE' : 'TRANSCRIPT_UNPARSEABLE', message: 'x', retryable },
  maxAttempts: 3,
  retryAt: later,
  at,
});
const cancel: JobCommand = { type: 'CancelJob', at };
const stalled = (attempt: number): JobCommand => ({ type: 'RequeueStalled', attempt, maxAttempts: 3, at });
const statusOf = (events: JobEvent[]) => (given(...events) as Job).status;

describe('job aggregate', () => {
  it('creates a queued job at attempt 1 whose work names the pinned profile version', () => {
    expect(created.map((e) => e.type)).toEqual(['JobCreated', 'JobQueued']);
    const job = given(...created) as Job;
    expect(job.status).toBe('queued');
    expect(workOf(job)).toEqual({
      job_id: 'j1',
      user_id: 'u1',
      attempt: 1,
      input,
      format: 'webvtt',
      filename: 'standup.vtt',
      meeting_date: '2026-01-01',
      profile: { key: 'meeting', version: 2 },
    });
  });

  it('refuses to create a job twice', () => {
    expect(refusal(created, create)).toBe('CONFLICT');
  });

  it('answers NOT_FOUND for a command on a job that does not exist', () => {
    expect(refusal([], cancel)).toBe('NOT_FOUND');
  });

  it('goes queued -> running -> completed with metrics and cost', () => {
    const running = then(created, started());
    expect(statusOf(running)).toBe('running');
    const done = then(running, completed());
    expect(done.at(-1)).toEqual({
      type: 'JobCompleted',
      data: {
        job_id: 'j1',
        user_id: 'u1',
        status: 'completed',
        attempt: 1,
        at,
        metrics,
        cost: 0,
        artifact_ids: ['a1'],
      },
    });
  });

  it('ignores a duplicate start report of the same attempt', () => {
    expect(when(then(created, started()), started())).toEqual([]);
  });

  it('passes through running when a completion arrives without its start report', () => {
    expect(when(created, completed()).map((e) => e.type)).toEqual(['JobStarted', 'JobCompleted']);
  });

  it('refuses a second terminal state for a job', () => {
    const done = then(then(created, started()), completed());
    expect(refusal(done, completed())).toBe('CONFLICT');
    expect(refusal(done, failed(1, false))).toBe('CONFLICT');
    expect(refusal(done, cancel)).toBe('CONFLICT');
    expect(refusal(then(created, cancel), started())).toBe('CONFLICT');
  });

  it("refuses a stale attempt's report", () => {
    const retried = then(then(created, started()), failed(1, true));
    expect(refusal(retried, started(1))).toBe('CONFLICT');
    expect(refusal(retried, completed(1))).toBe('CONFLICT');
  });

  it('schedules a retry for a retryable failure, and sends its work when dispatched', () => {
    const retried = then(then(created, started()), failed(1, true));
    expect(retried.at(-1)).toMatchObject({
      type: 'JobRetryScheduled',
      data: { status: 'queued', attempt: 2, retry_at: later, reason: 'failed' },
    });
    // Its work message is not out yet: a report for attempt 2 would be premature.
    expect(refusal(retried, started(2))).toBe('CONFLICT');
    const dispatched = then(retried, { type: 'DispatchRetry', at: later });
    expect(dispatched.at(-1)).toMatchObject({ type: 'JobQueued', data: { attempt: 2 } });
    expect(when(dispatched, { type: 'DispatchRetry', at: later })).toEqual([]);
    expect(statusOf(then(dispatched, started(2)))).toBe('running');
  });

  it('fails for good on a non-retryable failure or when the attempts are used up', () => {
    expect(when(created, failed(1, false)).map((e) => e.type)).toEqual(['JobFailed']);
    let events = created;
    for (const attempt of [1, 2]) {
      events = then(then(events, failed(attempt, true)), { type: 'DispatchRetry', at: later });
    }
    expect(when(events, failed(3, true))).toMatchObject([
      { type: 'JobFailed', data: { attempt: 3, error: { retryable: true } } },
    ]);
  });

  it('cancels a queued or running job, and refuses to cancel a cancelled one', () => {
    expect(statusOf(then(created, cancel))).toBe('cancelled');
    expect(statusOf(then(then(created, started()), cancel))).toBe('cancelled');
    expect(refusal(then(created, cancel), cancel)).toBe('CONFLICT');
  });

  it('re-queues a stalled attempt with the next attempt and its work at once', () => {
    const events = when(then(created, started()), stalled(1));
    expect(events.map((e) => [e.type, 'attempt' in e.data ? e.data.attempt : null])).toEqual([
      ['JobRetryScheduled', 2],
      ['JobQueued', 2],
    ]);
    expect(given(...created, ...events)).toMatchObject({ status: 'queued', attempt: 2, retryPending: false });
  });

  it('leaves a job alone when the watchdog saw an older attempt or it is terminal', () => {
    const requeued = then(created, stalled(1));
    expect(when(requeued, stalled(1))).toEqual([]);
    expect(when(then(created, cancel), stalled(1))).toEqual([]);
  });

  it('fails a job that stalls on its last attempt', () => {
    let events = created;
    events = then(events, stalled(1));
    events = then(events, stalled(2));
    expect(when(events, stalled(3))).toMatchObject([
      { type: 'JobFailed', data: { status: 'failed', error: { code: 'JOB_STALLED', retryable: false } } },
    ]);
  });

  describe('heartbeat', () => {
    const heartbeat = (attempt: number): JobCommand => ({ type: 'Heartbeat', attempt, at: later });
    const running = then(created, started(1));

    it('records progress of the running current attempt, still running at that attempt', () => {
      expect(when(running, heartbeat(1))).toEqual([
        {
          type: 'JobProgressed',
          data: { job_id: 'j1', user_id: 'u1', status: 'running', attempt: 1, at: later },
        },
      ]);
      const job = given(...running, ...when(running, heartbeat(1))) as Job;
      expect(job).toMatchObject({ status: 'running', attempt: 1, retryPending: false });
    });

    it('refuses a stale attempt as the start report is refused', () => {
      const requeued = then(running, stalled(1));
      expect(refusal(requeued, heartbeat(1))).toBe('CONFLICT');
      expect(refusal(requeued, started(1))).toBe('CONFLICT');
      expect(refusal(running, heartbeat(2))).toBe('CONFLICT');
    });

    it('refuses a job that has ended, as the start report is refused', () => {
      const done = then(running, completed(1));
      expect(refusal(done, heartbeat(1))).toBe('CONFLICT');
      expect(refusal(then(running, cancel), heartbeat(1))).toBe('CONFLICT');
    });

    it('records nothing for a queued job whose start report is not in yet', () => {
      expect(when(created, heartbeat(1))).toEqual([]);
    });
  });
});
