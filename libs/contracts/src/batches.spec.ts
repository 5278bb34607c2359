import type { JobStatus } from './jobs';
import { batchCountsOf, batchStatusOf } from './batches';

const statusOf = (...statuses: JobStatus[]) => batchStatusOf(batchCountsOf(statuses));

describe("a batch's status, derived from its jobs", () => {
  it('is running while any job is queued or running', () => {
    expect(statusOf('completed', 'queued')).toBe('running');
    expect(statusOf('failed', 'running', 'cancelled')).toBe('running');
  });

  it('is completed when every job completed', () => {
    expect(statusOf('completed', 'completed')).toBe('completed');
  });

  it('is partially failed when some completed and others failed or were cancelled', () => {
    expect(statusOf('completed', 'failed')).toBe('partially_failed');
    expect(statusOf('completed', 'cancelled')).toBe('partially_failed');
  });

  it('is failed when none completed and some failed, cancelled when all were cancelled', () => {
    expect(statusOf('failed', 'cancelled')).toBe('failed');
    expect(statusOf('cancelled', 'cancelled')).toBe('cancelled');
  });

  it('counts every status', () => {
    expect(batchCountsOf(['queued', 'running', 'completed', 'failed', 'cancelled', 'completed'])).toEqual({
      total: 6,
      queued: 1,
      running: 1,
      completed: 2,
      failed: 1,
      cancelled: 1,
    });
  });
});
