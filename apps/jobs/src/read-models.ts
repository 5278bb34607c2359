import { privacyEntities } from '@scriptripper/privacy';
import { BatchIdempotencyKey, BatchRecord } from './batch/batch.entity';
import { IdempotencyKey } from './job/idempotency-key.entity';
import { JobRecord } from './job/job.entity';
import { PromptIdempotencyKey } from './prompt/prompt-idempotency-key.entity';
import { CustomPrompt } from './prompt/prompt.entity';
import { QuotaUsage } from './quota/quota-usage.entity';
import { WebhookRecord } from './webhook/webhook.entity';
import { WebhookAttemptRecord, WebhookDeliveryRecord } from './webhook/webhook-delivery.entity';

/** Every table of the jobs schema besides the event store's. */
export const jobsEntities = [
  JobRecord,
  IdempotencyKey,
  BatchRecord,
  BatchIdempotencyKey,
  CustomPrompt,
  PromptIdempotencyKey,
  QuotaUsage,
  WebhookRecord,
  WebhookDeliveryRecord,
  WebhookAttemptRecord,
  ...privacyEntities,
];
