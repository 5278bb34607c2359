import { Type } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
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
}
