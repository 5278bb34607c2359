import type { EntityManager } from '@mikro-orm/postgresql';
import { IdempotencyKey } from '../job/idempotency-key.entity';
import { JobRecord } from '../job/job.entity';
import type { JobDataEraser } from './job-data-erasure';

/**
 * The job slice's own rows. A deleted job's `jobs` row goes with its projection (JobDeleted), so
 * here only the idempotency keys that would answer it again; a purged user's jobs rows go here,
 * since a purge appends no event to their jobs' streams (their personal data is shredded with
 * the user's key instead).
 */
export const jobsOwnDataEraser: JobDataEraser = {
  name: 'jobs',
  async eraseJob(em: EntityManager, job) {
    await em.nativeDelete(IdempotencyKey, { jobId: job.jobId });
  },
  async eraseUser(em: EntityManager, userId: string) {
    await em.nativeDelete(IdempotencyKey, { userId });
    await em.nativeDelete(JobRecord, { userId });
  },
};
