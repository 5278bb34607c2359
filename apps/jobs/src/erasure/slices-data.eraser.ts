import type { EntityManager } from '@mikro-orm/postgresql';
import { BatchIdempotencyKey, BatchRecord } from '../batch/batch.entity';
import { PromptIdempotencyKey } from '../prompt/prompt-idempotency-key.entity';
import { CustomPrompt } from '../prompt/prompt.entity';
import { QuotaUsage } from '../quota/quota-usage.entity';
import { WebhookAttemptRecord, WebhookDeliveryRecord } from '../webhook/webhook-delivery.entity';
import { WebhookRecord } from '../webhook/webhook.entity';
import type { JobDataEraser } from './job-data-erasure';

/**
 * The rows the other slices of the jobs service keep of a job or a user, by their job_id and
 * user_id columns. A deleted job takes its custom prompts and webhook deliveries with it; its batch
 * keeps listing the job id (the batch goes with DELETE /batches/{id}), and the day's quota usage
 * stays spent. A purged user takes everything: batches, prompts, webhooks and their deliveries,
 * quota usage.
 */
export const slicesDataEraser: JobDataEraser = {
  name: 'prompts, batches, webhooks, quotas',
  async eraseJob(em: EntityManager, job) {
    const prompts = await em.find(CustomPrompt, { jobId: job.jobId }, { fields: ['id'] });
    if (prompts.length > 0) {
      await em.nativeDelete(PromptIdempotencyKey, {
        userId: job.userId,
        promptId: { $in: prompts.map((prompt) => prompt.id) },
      });
    }
    await em.nativeDelete(CustomPrompt, { jobId: job.jobId });
    await deleteDeliveries(em, { jobId: job.jobId });
  },
  async eraseUser(em: EntityManager, userId: string) {
    await em.nativeDelete(PromptIdempotencyKey, { userId });
    await em.nativeDelete(CustomPrompt, { userId });
    await deleteDeliveries(em, { userId });
    await em.nativeDelete(WebhookRecord, { userId });
    await em.nativeDelete(BatchIdempotencyKey, { userId });
    await em.nativeDelete(BatchRecord, { userId });
    await em.nativeDelete(QuotaUsage, { userId });
  },
};

async function deleteDeliveries(
  em: EntityManager,
  where: { jobId: string } | { userId: string },
): Promise<void> {
  const deliveries = await em.find(WebhookDeliveryRecord, where, { fields: ['id'] });
  if (deliveries.length === 0) return;
  const ids = deliveries.map((delivery) => delivery.id);
  await em.nativeDelete(WebhookAttemptRecord, { deliveryId: { $in: ids } });
  await em.nativeDelete(WebhookDeliveryRecord, { id: { $in: ids } });
}
