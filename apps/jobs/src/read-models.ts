import { privacyEntities } from '@scriptripper/privacy';
import { BatchIdempotencyKey, BatchRecord } from './batch/batch.entity';
import { IdempotencyKey } from './job/idempotency-key.entity';
import { JobRecord } from './job/job.entity';
import { CustomPrompt } from './prompt/prompt.entity';

/** Every table of the jobs schema besides the event store's. */
export const jobsEntities = [JobRecord, IdempotencyKey, BatchRecord, BatchIdempotencyKey, CustomPrompt, ...privacyEntities];
