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
  type RecordedEvent,
} from '@scriptripper/event-store';
import { observeJobDuration, type JobOutcome } from '@scriptripper/observability';
import {
  decide,
  evolve,
  initialJobState,
  isTerminal,
  workOf,
  type JobCommand,
  type JobState,
} from './job.aggregate';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { openJobHistory, sealJobEvents } from '../erasure/job-personal-data';
import { JOB_STREAM_TYPE, jobStreamId, type JobEvent } from './job.events';

const ATTEMPTS = 3;

/** A context decided on the job's history as loaded (its creating request, its last event). */
export type ContextOfJob = (history: readonly RecordedEvent[]) => AppendContext;

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
  constructor(
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(PersonalDataCipher) private readonly cipher: PersonalDataCipher,
  ) {}

  async load(jobId: string): Promise<{ state: JobState; version: number; history: RecordedEvent[] }> {
    // The file name is sealed under the job's key in the log (see job-personal-data.ts).
    const history = await openJobHistory(
      this.cipher,
      jobId,
      await this.eventStore.readStream(jobStreamId(jobId)),
    );
    return {
      state: history.reduce(
        (state, recorded) => evolve(state, { type: recorded.type, data: recorded.data } as JobEvent),
        initialJobState,
      ),
      version: history.at(-1)?.streamVersion ?? 0,
      history,
    };
  }

  async execute(
    jobId: string,
    contextOf: AppendContext | ContextOfJob,
    command: JobCommand,
    options: ExecuteOptions = {},
  ): Promise<JobEvent[]> {
    for (let attempt = 1; ; attempt++) {
      const { state, version, history } = await this.load(jobId);
      const events = decide(state, command);
      if (events.length === 0) return events;
      // Decided again after a lost race, so the causation is the event that won it.
      const context = typeof contextOf === 'function' ? contextOf(history) : contextOf;
      const after = events.reduce(evolve, state);
      const project = options.project;
      try {
        await this.eventStore.append({
          streamId: jobStreamId(jobId),
          streamType: JOB_STREAM_TYPE,
          expectedVersion: version === 0 ? 'no-stream' : version,
          events: await sealJobEvents(this.cipher, jobId, events),
          context,
          outbox: [
            ...events.map((_event, index) => ({ destination: JOB_EVENTS_STREAM, event: index })),
            ...workMessages(events, after, context),
          ],
          ...(project ? { project: (em: EntityManager) => project(em) } : {}),
        });
        observeEnded(state, after, history);
        return events;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}

/** The job-latency metric: once per job, by the append that made it terminal, from its JobCreated. */
function observeEnded(before: JobState, after: JobState, history: readonly RecordedEvent[]): void {
  const created = history[0]?.recordedAt;
  if (!before || !after || isTerminal(before) || !isTerminal(after) || !created) return;
  observeJobDuration(after.status as JobOutcome, (Date.now() - new Date(created).getTime()) / 1000);
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
