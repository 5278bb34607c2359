import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  conflict,
  gone,
  JOB_EVENTS_STREAM,
  notFound,
  RELABEL_SPEAKERS,
  Streams,
  type Actor,
  type ErrorBody,
  type MessageEnvelope,
  type RelabelSpeakersResponse,
  type RelabelSpeakersWork,
  type RelabelStatusView,
  type RelabelView,
  type SpeakerRenames,
} from '@scriptripper/contracts';
import { ConcurrencyConflictError, EventStore, type AppendContext } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { JobRecord } from '../job/job.entity';
import {
  decide,
  evolve,
  initialJobSpeakersState,
  JOB_SPEAKERS_STREAM_TYPE,
  jobSpeakersStreamId,
  type JobSpeakersState,
  type RelabelCommand,
  type RelabelEvent,
} from './relabel.aggregate';

const ATTEMPTS = 3;

/** Retention may add when the transcript expired; a job without the column has not expired. */
type JobWithRetention = JobRecord & { readonly transcriptExpiredAt?: Date | null };

/**
 * Speaker relabelling: the owner's renames recorded (sealed) on the job's speakers stream with
 * the `RelabelSpeakers` work message in the same transaction; the worker reads them back with
 * `getForWorker`, re-renders the outputs and reports. Nothing is kept outside the events: the
 * renames are read from the stream when the worker asks.
 */
@Injectable()
export class RelabelService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(PersonalDataCipher) private readonly cipher: PersonalDataCipher,
  ) {}

  async request(
    jobId: string,
    rename: SpeakerRenames,
    owner: Actor,
    context: AppendContext,
  ): Promise<RelabelSpeakersResponse> {
    const job = (await this.em.fork().findOne(JobRecord, { id: jobId })) as JobWithRetention | null;
    if (!job || job.userId !== owner.id) throw notFound(`no job ${jobId}`);
    if (job.transcriptExpiredAt) {
      throw gone(
        `the transcript of job ${job.id} expired under the retention policy; its outputs cannot be re-rendered`,
      );
    }
    if (job.status !== 'completed') {
      throw conflict(`job ${job.id} is ${job.status}; speakers can be renamed once it is completed`);
    }
    const relabelId = randomUUID();
    await this.execute(jobId, context, {
      type: 'RequestRelabel',
      request: {
        relabel_id: relabelId,
        job_id: job.id,
        user_id: owner.id,
        user_role: owner.role === 'admin' ? 'admin' : 'user',
        rename: await this.cipher.encrypt(job.id, JSON.stringify(rename)),
        profile: { key: job.profileKey, version: job.profileVersion },
        at: new Date().toISOString(),
      },
    });
    return { job_id: job.id, relabel_id: relabelId };
  }

  /** The renames in the clear, for the worker that applies them. */
  async getForWorker(jobId: string, relabelId: string): Promise<RelabelView> {
    const { state } = await this.load(jobId);
    const relabel = state.relabels.get(relabelId);
    if (!relabel) throw notFound(`no relabelling ${relabelId} of job ${jobId}`);
    const opened = await this.cipher.decrypt(relabel.requested.job_id, relabel.requested.rename);
    // The job was deleted or its owner purged (its key destroyed): there is nothing left to apply.
    if (opened === null) throw gone(`the renames of relabelling ${relabelId} were erased`);
    return {
      id: relabelId,
      job_id: jobId,
      rename: JSON.parse(opened) as SpeakerRenames,
      status: relabel.status,
    };
  }

  async applied(jobId: string, relabelId: string, artifactIds: readonly string[], context: AppendContext) {
    await this.execute(jobId, context, {
      type: 'MarkApplied',
      relabelId,
      artifactIds,
      at: new Date().toISOString(),
    });
    return this.getStatus(jobId, relabelId);
  }

  async failed(jobId: string, relabelId: string, error: ErrorBody, context: AppendContext) {
    await this.execute(jobId, context, {
      type: 'MarkFailed',
      relabelId,
      error,
      at: new Date().toISOString(),
    });
    return this.getStatus(jobId, relabelId);
  }

  /** The outcome of a relabelling, for the job's owner only (anyone else: NOT_FOUND). */
  async statusForOwner(jobId: string, relabelId: string, reader: Actor): Promise<RelabelStatusView> {
    const job = await this.em.fork().findOne(JobRecord, { id: jobId });
    if (!job || job.userId !== reader.id) throw notFound(`no job ${jobId}`);
    const { state } = await this.load(jobId);
    const relabel = state.relabels.get(relabelId);
    if (!relabel) throw notFound(`no relabelling ${relabelId} of job ${jobId}`);
    return { id: relabelId, job_id: jobId, status: relabel.status, error: relabel.error ?? null };
  }

  private async getStatus(jobId: string, relabelId: string) {
    const { state } = await this.load(jobId);
    return { id: relabelId, job_id: jobId, status: state.relabels.get(relabelId)?.status ?? null };
  }

  private load(jobId: string): Promise<{ state: JobSpeakersState; version: number }> {
    return this.eventStore.aggregateStream<JobSpeakersState>(
      jobSpeakersStreamId(jobId),
      (state, recorded) => evolve(state, { type: recorded.type, data: recorded.data } as RelabelEvent),
      initialJobSpeakersState,
    );
  }

  /** Decide on the stream and append: events to `events:jobs`, a request's work to `work:analysis`. */
  private async execute(jobId: string, context: AppendContext, command: RelabelCommand): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(jobId);
      const events = decide(state, command);
      if (events.length === 0) return;
      try {
        await this.eventStore.append({
          streamId: jobSpeakersStreamId(jobId),
          streamType: JOB_SPEAKERS_STREAM_TYPE,
          expectedVersion: version === 0 ? 'no-stream' : version,
          events,
          context,
          outbox: [
            ...events.map((_event, index) => ({ destination: JOB_EVENTS_STREAM, event: index })),
            ...events.flatMap((event) =>
              event.type === 'SpeakersRelabelRequested'
                ? [{ destination: Streams.analysisWork, envelope: workOf(event.data, context) }]
                : [],
            ),
          ],
        });
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}

function workOf(
  requested: Extract<RelabelEvent, { type: 'SpeakersRelabelRequested' }>['data'],
  context: AppendContext,
): MessageEnvelope<RelabelSpeakersWork> {
  return {
    id: randomUUID(),
    type: RELABEL_SPEAKERS,
    correlationId: context.correlationId,
    causationId: context.causationId,
    actor: { id: requested.user_id, role: requested.user_role, scopes: [] },
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
    traceparent: context.traceparent,
    data: {
      relabel_id: requested.relabel_id,
      job_id: requested.job_id,
      user_id: requested.user_id,
      profile: requested.profile,
    },
  };
}
