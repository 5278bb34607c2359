import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RetentionSweep } from './retention-sweep';

export const RETENTION_SWEEP_INTERVAL = Symbol('RETENTION_SWEEP_INTERVAL');

/**
 * Runs the retention sweep every RETENTION_SWEEP_INTERVAL_MS (0: never; the `retention-sweep`
 * command runs it once instead, e.g. from a CronJob). A sweep still running when the next is due
 * is not overlapped; a failed sweep is logged and tried again at the next interval.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(RetentionSweep) private readonly sweep: RetentionSweep,
    @Inject(RETENTION_SWEEP_INTERVAL) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One sweep now, unless one is running. */
  runOnce(): void {
    if (this.running) return;
    this.running = this.sweep
      .sweep()
      .then((outcome) => {
        if (outcome.expired > 0 || outcome.blobsDeleted > 0 || outcome.abandonedWritesRemoved > 0) {
          this.logger.log(
            `retention: ${outcome.expired} artifact(s) expired, ${outcome.blobsDeleted} blob(s) deleted, ${outcome.abandonedWritesRemoved} abandoned upload(s) removed`,
          );
        }
      })
      .catch((error: unknown) => this.logger.error(`retention sweep failed: ${String(error)}`))
      .finally(() => {
        this.running = null;
      });
  }

  /** Deletes released blobs now (after a job's or a user's artifacts were deleted). */
  releaseNow(): Promise<number> {
    return this.sweep.releaseBlobs();
  }
}
