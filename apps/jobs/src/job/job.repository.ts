import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ANALYZE_TRANSCRIPT,
  JOB_EVENTS_STREAM,
  Streams,
  type AnalyzeTranscriptWork,
  type MessageEnvelope,
} from '@scriptripper/contracts';
import {
  ConcurrencyConflictError,
  EventStore,
  type AppendContext,
  type OutboxEntry,
} from '@scriptripper/event-store';
import { decide, evolve, initialJobState, workOf, type JobCommand, type JobState } from './job.aggregate';
import { JOB_STREAM_TYPE, jobStreamId, type JobEvent } from './job.events';

const ATTEMPTS = 3;

export interface ExecuteOptions {
  /** More writes in the append's transaction (the idempotency key of a create). */
  readonly project?: (em: EntityManager) => Promise<void>;
}

/**
 * Loads a job from its stream, decides a command and appends the outcome in one transaction:
 * every event bound for `events:jobs`, and, when the job is (re-)queued, the work message for
 * its current attempt bound for `work:analysis`. A lost race is decided again on the newer state.
 */
@Injectable()
export class JobRepository {
  constructor(@Inject(EventStore) private readonly eventStore: EventStore) {}

  load(jobId: string): Promise<{ state: JobState; version: number }> {
    return this.eventStore.aggregateStream<JobState>(
      jobStreamId(jobId),
      (state, recorded) => evolve(state, { type: recorded.type, data: recorded.data } as JobEvent),
      initialJobState,
    );
  }

  async execute(
    jobId: string,
    context: AppendContext,
    command: JobCommand,
    options: ExecuteOptions = {},
  ): Promise<JobEvent[]> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(jobId);
      const events = decide(state, command);
      if (events.length === 0) return events;
      const after = events.reduce(evolve, state);
      const project = options.project;
      try {
        await this.eventStore.append({
          streamId: jobStreamId(jobId),
          streamType: JOB_STREAM_TYPE,
          expectedVersion: version === 0 ? 'no-stream' : version,
          events,
          context,
          outbox: [
            ...events.map((_event, index) => ({ destination: JOB_EVENTS_STREAM, event: index })),
            ...workMessages(events, after, context),
          ],
          ...(project ? { project: (em: EntityManager) => project(em) } : {}),
        });
        return events;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}

function workMessages(events: readonly JobEvent[], job: JobState, context: AppendContext): OutboxEntry[] {
  if (!job || !events.some((event) => event.type === 'JobQueued')) return [];
  const envelope: MessageEnvelope<AnalyzeTranscriptWork> = {
    id: randomUUID(),
    type: ANALYZE_TRANSCRIPT,
    correlationId: context.correlationId,
    causationId: context.causationId,
    // The work is the owner's, whoever queued it (the owner, or the scheduler for a retry).
    actor: { id: job.userId, role: job.userRole, scopes: [] },
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
    traceparent: context.traceparent,
    data: workOf(job),
  };
  return [{ destination: Streams.analysisWork, envelope }];
}
