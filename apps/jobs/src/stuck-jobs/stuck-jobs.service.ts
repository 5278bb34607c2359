import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type {
  MessageEnvelope,
  RequeueStuckJobsAnswer,
  StuckJobOutcome,
  StuckJobsRequest,
  StuckJobView,
} from '@scriptripper/contracts';
import type { AppendContext, RecordedEvent } from '@scriptripper/event-store';
import { JobsConfig } from '../config';
import { JobRecord } from '../job/job.entity';
import { JobRepository } from '../job/job.repository';

/**
 * Operators' view of stuck jobs (queued or running with no change for a while) and their
 * re-run: each job gets the watchdog's own `RequeueStalled` command, decided on its stream, so
 * a job that moved on meanwhile is left alone and one out of attempts fails as the policy says.
 * Rows are never edited directly.
 */
@Injectable()
export class StuckJobsService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JobsConfig) private readonly config: JobsConfig,
  ) {}

  async list(request: StuckJobsRequest, now = new Date()): Promise<StuckJobView[]> {
    const cutoff = new Date(now.getTime() - request.older_than_minutes * 60_000);
    const rows = await this.em.fork().find(
      JobRecord,
      {
        status: { $in: ['queued', 'running'] },
        updatedAt: { $lt: cutoff },
        ...(request.job_ids ? { id: { $in: [...request.job_ids] } } : {}),
      },
      { orderBy: { updatedAt: 'asc' }, limit: request.limit ?? 100 },
    );
    return rows.map((row) => ({
      job_id: row.id,
      user_id: row.userId,
      status: row.status,
      attempts: row.attempts,
      updated_at: row.updatedAt.toISOString(),
      retry_at: row.retryAt ? row.retryAt.toISOString() : null,
    }));
  }

  async requeue(
    request: StuckJobsRequest,
    envelope: MessageEnvelope,
    now = new Date(),
  ): Promise<RequeueStuckJobsAnswer> {
    const items: RequeueStuckJobsAnswer['items'][number][] = [];
    for (const job of await this.list(request, now)) {
      const events = await this.jobs.execute(job.job_id, operatorContext(envelope), {
        type: 'RequeueStalled',
        attempt: job.attempts,
        maxAttempts: this.config.JOB_MAX_ATTEMPTS,
        at: now.toISOString(),
      });
      items.push({ ...job, outcome: outcomeOf(events.map((event) => event.type)) });
    }
    return { items };
  }
}

function outcomeOf(types: readonly string[]): StuckJobOutcome {
  if (types.includes('JobQueued')) return 'requeued';
  if (types.includes('JobFailed')) return 'failed';
  return 'unchanged';
}

/** The operator acts, on the job's correlation id (the audit finds all of a job by it), caused by the request. */
function operatorContext(envelope: MessageEnvelope) {
  return (history: readonly RecordedEvent[]): AppendContext => ({
    actor: envelope.actor,
    correlationId:
      history.find((event) => event.type === 'JobCreated')?.metadata.correlationId ?? envelope.correlationId,
    causationId: envelope.id,
    traceparent: envelope.traceparent,
  });
}
