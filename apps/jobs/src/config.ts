import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DataServiceConfig } from '@scriptripper/config';

/** The jobs service's settings, read from the environment by `loadConfig`. */
export class JobsConfig extends DataServiceConfig {
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
}
