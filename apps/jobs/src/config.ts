import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { DataServiceConfig, Secret } from '@scriptripper/config';

/** The jobs service's settings, read from the environment by `loadConfig`. */
export class JobsConfig extends DataServiceConfig {
  /**
   * Seals users' data keys, which seal the personal data in jobs' events (prompt texts, speaker
   * names, file names): base64 of 32 random bytes (`openssl rand -base64 32`).
   */
  @Secret()
  @Matches(/^[A-Za-z0-9+/_-]{43}=?$/, { message: 'must be base64 of exactly 32 random bytes' })
  JOBS_KEY_ENCRYPTION_KEY!: string;

  /** Attempts a job gets (retryable failures and stalls count) before it fails for good. */
  @Type(() => Number)
  @Min(1)
  @Max(20)
  @IsInt()
  JOB_MAX_ATTEMPTS = 3;

  /** A queued or running job without progress this long is re-queued by the watchdog. */
  @Type(() => Number)
  @Min(1)
  @IsInt()
  JOB_STALL_SECONDS = 120;

  /** The first retry waits this long; each further one twice as long. */
  @Type(() => Number)
  @Min(0)
  @IsInt()
  JOB_RETRY_BACKOFF_MS = 2_000;

  /** How often the scheduler looks for due retries and stalled jobs. */
  @Type(() => Number)
  @Min(100)
  @IsInt()
  JOB_SCHEDULER_INTERVAL_MS = 1_000;

  /** How long a call to another service (profiles) waits for its answer. */
  @Type(() => Number)
  @Min(100)
  @IsInt()
  RPC_TIMEOUT_MS = 10_000;

  /** Transcripts one batch may hold (`POST /jobs/batch`). */
  @Type(() => Number)
  @Min(1)
  @Max(1000)
  @IsInt()
  BATCH_MAX_ITEMS = 100;

  // Quotas and spend caps (apps/jobs/src/quota). Daily figures count per UTC day. Admins are
  // exempt from the per-user quotas and the per-user cap; the total cap binds everyone.

  /** Jobs a user may create per UTC day (a batch of N counts N). */
  @Type(() => Number)
  @Min(0)
  @IsInt()
  QUOTA_JOBS_PER_DAY = 500;

  /** Largest transcript (bytes) a user may submit in one job. */
  @Type(() => Number)
  @Min(0)
  @IsInt()
  QUOTA_TRANSCRIPT_BYTES = 20_971_520;

  /**
   * A user's LLM spend per UTC day, in US dollars; unset: no cap. New work is refused once the
   * day's spend is at or above it (`>=`), so 0 refuses all new work.
   */
  @IsOptional()
  @Type(() => Number)
  @Min(0)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  SPEND_CAP_USER_DAILY_USD?: number;

  /** The platform's LLM spend per UTC day, all users together, in US dollars; unset: no cap. */
  @IsOptional()
  @Type(() => Number)
  @Min(0)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  SPEND_CAP_TOTAL_DAILY_USD?: number;

  // Webhooks (apps/jobs/src/webhook).

  /** `true` lets webhooks target private, loopback and link-local addresses (dev and tests only). */
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' | 'false' = 'false';

  /** How long one delivery waits for the receiver's answer. */
  @Type(() => Number)
  @Min(100)
  @IsInt()
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Tries of one delivery before it is given up. */
  @Type(() => Number)
  @Min(1)
  @Max(30)
  @IsInt()
  WEBHOOK_MAX_ATTEMPTS = 8;

  /** The wait after the first failed try; each further one twice as long, up to WEBHOOK_RETRY_MAX_MS. */
  @Type(() => Number)
  @Min(0)
  @IsInt()
  WEBHOOK_RETRY_BASE_MS = 10_000;

  @Type(() => Number)
  @Min(0)
  @IsInt()
  WEBHOOK_RETRY_MAX_MS = 3_600_000;

  /** How often the delivery scheduler looks for due deliveries. */
  @Type(() => Number)
  @Min(100)
  @IsInt()
  WEBHOOK_SCHEDULER_INTERVAL_MS = 1_000;

  /** Webhooks one user may have registered at once. */
  @Type(() => Number)
  @Min(1)
  @IsInt()
  WEBHOOK_MAX_PER_USER = 10;
}
