import type { EntityManager } from '@mikro-orm/postgresql';
import { IdempotencyKey } from '../job/idempotency-key.entity';
import type { JobDataEraser } from './job-data-erasure';

/**
 * The job slice's idempotency keys, which would answer a deleted job again. Its `jobs` rows are
 * read models and go with the projections: a deleted job's with JobDeleted (jobProjection), a
 * purged user's with UserDataErased (erasureProjection).
 */
export const jobsOwnDataEraser: JobDataEraser = {
  name: 'jobs',
  async eraseJob(em: EntityManager, job) {
    await em.nativeDelete(IdempotencyKey, { jobId: job.jobId });
  },
  async eraseUser(em: EntityManager, userId: string) {
    await em.nativeDelete(IdempotencyKey, { userId });
  },
};
