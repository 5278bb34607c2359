import type { EntityManager } from '@mikro-orm/postgresql';
import { BatchIdempotencyKey } from '../batch/batch.entity';
import { PromptIdempotencyKey } from '../prompt/prompt-idempotency-key.entity';
import type { JobDataEraser } from './job-data-erasure';

/**
 * What the other slices keep of a job or a user outside their read models: idempotency keys,
 * which are not in the events. Their read-model rows (custom prompts, webhook deliveries,
 * webhooks, batches, quota usage) go with the erasure projection of JobDeleted / UserDataErased
 * (`erasure.projection.ts`), so a rebuild from the event table erases them again; that projection
 * also deletes the prompt keys of a deleted job, which it finds through the job's prompts.
 */
export const slicesDataEraser: JobDataEraser = {
  name: 'prompts, batches, webhooks, quotas',
  async eraseJob() {
    // Nothing outside the read models: see erasureProjection.
  },
  async eraseUser(em: EntityManager, userId: string) {
    await em.nativeDelete(PromptIdempotencyKey, { userId });
    await em.nativeDelete(BatchIdempotencyKey, { userId });
  },
};
