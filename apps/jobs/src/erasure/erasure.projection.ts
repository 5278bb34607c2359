import type { EntityManager } from '@mikro-orm/postgresql';
import type { Projection } from '@scriptripper/event-store';
import { BatchIdempotencyKey, BatchRecord } from '../batch/batch.entity';
import { JobRecord } from '../job/job.entity';
import type { JobDeletedData } from '../job/job.events';
import { PromptIdempotencyKey } from '../prompt/prompt-idempotency-key.entity';
import { CustomPrompt } from '../prompt/prompt.entity';
import { QuotaUsage } from '../quota/quota-usage.entity';
import { WebhookAttemptRecord, WebhookDeliveryRecord } from '../webhook/webhook-delivery.entity';
import { WebhookRecord } from '../webhook/webhook.entity';

/**
 * A purged user's data is erased from the jobs read models. Recorded on the jobs service's own
 * stream `user-<id>` in the transaction that handles UserPurged, so a rebuild from the event table
 * replays the erasure at the same point and purged rows never come back. It holds the user's id
 * (a random id, no personal data) and when.
 */
export const USER_DATA_ERASED = 'UserDataErased';
export interface UserDataErasedData {
  readonly user_id: string;
  readonly at: string;
}
export const userDataStreamId = (userId: string) => `user-${userId}`;
export const USER_DATA_STREAM_TYPE = 'user-data';

/**
 * The read-model side of deleting a job and of purging a user, as a projection (after the job
 * projection, which deletes the `jobs` row of JobDeleted): applied in the deleting append and
 * again by a rebuild, so the rebuilt tables hold what the live ones do. The idempotency keys that
 * would answer with an erased prompt or batch go too (operational rows a rebuild leaves alone;
 * deleting them again is a no-op); the job's own idempotency keys go with JobDataErasure.
 * A deleted job's batch keeps listing it and its day's quota usage stays spent.
 */
export const erasureProjection: Projection = {
  name: 'erasure',
  handles: ['JobDeleted', USER_DATA_ERASED],
  apply: async (em, recorded) => {
    if (recorded.type === 'JobDeleted') {
      const { job_id: jobId, user_id: userId } = recorded.data as JobDeletedData;
      const prompts = await em.find(CustomPrompt, { jobId }, { fields: ['id'] });
      if (prompts.length > 0) {
        await em.nativeDelete(PromptIdempotencyKey, { userId, promptId: { $in: prompts.map((p) => p.id) } });
      }
      await em.nativeDelete(CustomPrompt, { jobId });
      await deleteDeliveries(em, { jobId });
      return;
    }
    const { user_id: userId } = recorded.data as UserDataErasedData;
    await em.nativeDelete(PromptIdempotencyKey, { userId });
    await em.nativeDelete(CustomPrompt, { userId });
    await deleteDeliveries(em, { userId });
    await em.nativeDelete(WebhookRecord, { userId });
    await em.nativeDelete(BatchIdempotencyKey, { userId });
    await em.nativeDelete(BatchRecord, { userId });
    await em.nativeDelete(QuotaUsage, { userId });
    await em.nativeDelete(JobRecord, { userId });
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
