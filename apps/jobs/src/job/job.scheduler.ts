import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { serviceActor } from '@scriptripper/contracts';
import type { AppendContext, RecordedEvent } from '@scriptripper/event-store';
import { JobsConfig } from '../config';
import { JobRecord } from './job.entity';
import { JobRepository } from './job.repository';

const BATCH = 100;

/**
 * Sends scheduled retries when they are due, and re-queues jobs without progress for
 * JOB_STALL_SECONDS (their work message lost with Redis, or their worker dead). All its state
 * is in Postgres (`retry_at`, `updated_at`), so a restart loses nothing. Several instances may
 * run it at once: each change is decided on the job's stream and appended at the version it
 * was decided on, so of two instances acting on one job, one appends and the other decides
 * again on the new state, which asks for nothing more.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(JobScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JobsConfig) private readonly config: JobsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass at `now`: due retries dispatched, stalled jobs re-queued (or failed on their last attempt). */
  async runOnce(now = new Date()): Promise<{ dispatched: number; requeued: number }> {
    const em = this.em.fork();
    const due = await em.find(
      JobRecord,
      { status: 'queued', retryAt: { $lte: now } },
      { fields: ['id'], orderBy: { retryAt: 'asc' }, limit: BATCH },
    );
    let dispatched = 0;
    for (const job of due) {
      const events = await this.jobs.execute(job.id, contextOfJob, {
        type: 'DispatchRetry',
        at: now.toISOString(),
      });
      dispatched += events.length > 0 ? 1 : 0;
    }
    const stalledBefore = new Date(now.getTime() - this.config.JOB_STALL_SECONDS * 1000);
    const stalled = await em.find(
      JobRecord,
      { status: { $in: ['queued', 'running'] }, retryAt: null, updatedAt: { $lt: stalledBefore } },
      { fields: ['id', 'attempts'], orderBy: { updatedAt: 'asc' }, limit: BATCH },
    );
    let requeued = 0;
    for (const job of stalled) {
      const events = await this.jobs.execute(job.id, contextOfJob, {
        type: 'RequeueStalled',
        attempt: job.attempts,
        maxAttempts: this.config.JOB_MAX_ATTEMPTS,
        at: now.toISOString(),
      });
      requeued += events.length > 0 ? 1 : 0;
    }
    return { dispatched, requeued };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error: unknown) =>
          this.log.warn(`scheduler pass failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => this.schedule());
    }, this.config.JOB_SCHEDULER_INTERVAL_MS);
  }
}

/**
 * The scheduler acts on the job's behalf, so its events and work message keep the correlation
 * id of the request that created the job (the audit finds everything by it), caused by the
 * job's last event. A job without history gets nothing appended, whatever this says.
 */
function contextOfJob(history: readonly RecordedEvent[]): AppendContext {
  return {
    actor: serviceActor('jobs'),
    correlationId:
      history.find((event) => event.type === 'JobCreated')?.metadata.correlationId ?? randomUUID(),
    causationId: history.at(-1)?.metadata.messageId ?? null,
    traceparent: null,
  };
}
