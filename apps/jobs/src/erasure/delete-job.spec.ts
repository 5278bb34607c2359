import { DomainError } from '@scriptripper/contracts';
import { decide, evolve, initialJobState, type JobCommand } from '../job/job.aggregate';
import type { JobEvent } from '../job/job.events';

const at = '2026-01-01T10:00:00.000Z';
const created = decide(initialJobState, {
  type: 'CreateJob',
  jobId: 'j1',
  userId: 'u1',
  userRole: 'user',
  profile: { id: 'p1', key: 'meeting', version: 1 },
  input: { uri: 'blob://sha256/abc', sha256: 'abc', size: 10 },
  format: null,
  filename: 'standup.vtt',
  meetingDate: null,
  at,
});
const given = (...events: JobEvent[]) => events.reduce(evolve, initialJobState);
const remove: JobCommand = { type: 'DeleteJob', at };
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return null;
};

describe('deleting a job', () => {
  it('cancels a job that has not finished, then deletes it', () => {
    expect(decide(given(...created), remove).map((event) => event.type)).toEqual([
      'JobCancelled',
      'JobDeleted',
    ]);
  });

  it('deletes a finished job without cancelling it', () => {
    const failed = decide(given(...created), {
      type: 'MarkFailed',
      attempt: 1,
      error: { code: 'X', message: 'no', retryable: false },
      maxAttempts: 1,
      retryAt: at,
      at,
    });
    expect(decide(given(...created, ...failed), remove)).toEqual([
      { type: 'JobDeleted', data: { job_id: 'j1', user_id: 'u1', at } },
    ]);
  });

  it('refuses every later command for good (CONFLICT, as a finished job does), a second delete too', () => {
    const deleted = [...created, ...decide(given(...created), remove)];
    expect(codeOf(() => decide(given(...deleted), remove))).toBe('CONFLICT');
    expect(codeOf(() => decide(given(...deleted), { type: 'MarkStarted', attempt: 1, at }))).toBe('CONFLICT');
    expect(codeOf(() => decide(given(...deleted), { type: 'DispatchRetry', at }))).toBe('CONFLICT');
  });

  it('refuses to delete a job that never was', () => {
    expect(codeOf(() => decide(initialJobState, remove))).toBe('NOT_FOUND');
  });

  it('records a transcript expiry once, even on a finished job, and not on a deleted one', () => {
    const expire: JobCommand = { type: 'RecordTranscriptExpired', at };
    const expired = decide(given(...created), expire);
    expect(expired).toEqual([{ type: 'JobTranscriptExpired', data: { job_id: 'j1', user_id: 'u1', at } }]);
    expect(decide(given(...created, ...expired), expire)).toEqual([]);
    expect(given(...created, ...expired)?.status).toBe('queued');
    const deleted = [...created, ...decide(given(...created), remove)];
    expect(codeOf(() => decide(given(...deleted), expire))).toBe('CONFLICT');
  });
});
