import type { ReadModels } from '@scriptripper/service-runtime';
import { batchProjection } from './batch/batch.projection';
import { batchDeletionProjection } from './erasure/batch-deletion.service';
import { erasureProjection } from './erasure/erasure.projection';
import { jobProjection } from './job/job.projection';
import { promptProjection } from './prompt/prompt.projection';
import { quotaUsageProjection } from './quota/quota-usage.projection';
import { webhookProjection } from './webhook/webhook.projection';

/**
 * The jobs service's read models: what its appends apply (AppModule) and what
 * `rebuild-projections` replays, from one list. Every table below is written by these projections
 * alone; what other services cause is first recorded in jobs' own events (UserPurged becomes
 * UserDataErased, ArtifactExpired becomes JobTranscriptExpired), so a replay reaches the same rows.
 *
 * Operational state, not rebuilt (in no event):
 * - `idempotency_keys`, `batch_idempotency_keys`, `prompt_idempotency_keys`: the requests' keys,
 *   which answer a retried create; they are never emptied by a rebuild.
 * - `user_keys`: the per-user and per-job data keys; destroying one is the shredding.
 * - `webhook_deliveries.lease_until`: the dispatcher's claim on a delivery being sent. It lives in
 *   a rebuilt table, so a rebuild clears it (and a dry run counts a delivery in flight as one
 *   differing row): the delivery may then be sent once more, which webhooks allow (at least once,
 *   receivers dedupe on the event id), and only one of the tries is appended (its stream version).
 *
 * The erasure projection runs after the job projection (JobDeleted deletes the `jobs` row first).
 * Tables are listed so that rows referring to others are emptied first.
 */
export function jobsReadModels(keyEncryptionKey: Buffer): ReadModels {
  return {
    projections: [
      jobProjection(keyEncryptionKey),
      batchProjection,
      promptProjection(keyEncryptionKey),
      quotaUsageProjection,
      webhookProjection,
      batchDeletionProjection,
      erasureProjection,
    ],
    tables: [
      'webhook_delivery_attempts',
      'webhook_deliveries',
      'webhooks',
      'custom_prompts',
      'batches',
      'quota_usage',
      'jobs',
    ],
  };
}
