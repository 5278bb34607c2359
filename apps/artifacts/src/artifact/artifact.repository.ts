import { Inject, Injectable } from '@nestjs/common';
import { ARTIFACT_EVENTS_STREAM } from '@scriptripper/contracts';
import { ConcurrencyConflictError, EventStore, type AppendContext } from '@scriptripper/event-store';
import {
  decide,
  decideErasure,
  decideExpiry,
  decideRevision,
  evolve,
  type EraseJobArtifacts,
  type ExpireArtifact,
  initialJobArtifactsState,
  type JobArtifactsState,
  type RegisterArtifact,
  type ReviseArtifact,
} from './artifact.aggregate';
import { JOB_ARTIFACTS_STREAM_TYPE, jobArtifactsStreamId, type ArtifactEvent } from './artifact.events';

const ATTEMPTS = 3;

/**
 * Loads a job's artifacts from their stream, decides a registration and appends it with its
 * event bound for `events:artifacts`, deciding again on the newer state when another
 * registration for the job appended first (so a concurrent duplicate changes nothing).
 */
@Injectable()
export class ArtifactRepository {
  constructor(@Inject(EventStore) private readonly eventStore: EventStore) {}

  load(jobId: string): Promise<{ state: JobArtifactsState; version: number }> {
    return this.eventStore.aggregateStream<JobArtifactsState>(
      jobArtifactsStreamId(jobId),
      (state, recorded) => evolve(state, { type: recorded.type, data: recorded.data } as ArtifactEvent),
      initialJobArtifactsState,
    );
  }

  /** Answers the state after the command: the registered artifact is in it either way. */
  async register(command: RegisterArtifact, context: AppendContext): Promise<JobArtifactsState> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(command.jobId);
      const events = decide(state, command);
      if (events.length === 0) return state;
      try {
        await this.eventStore.append({
          streamId: jobArtifactsStreamId(command.jobId),
          streamType: JOB_ARTIFACTS_STREAM_TYPE,
          expectedVersion: version === 0 ? 'no-stream' : version,
          events,
          context,
          outbox: events.map((_event, index) => ({ destination: ARTIFACT_EVENTS_STREAM, event: index })),
        });
        return events.reduce(evolve, state);
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /** Records a new revision of an artifact's content; nothing when it holds that content already. */
  revise(command: ReviseArtifact, previousUri: string, context: AppendContext): Promise<ArtifactEvent[]> {
    return this.decideAndAppend(
      command.jobId,
      (state) => decideRevision(state, command, previousUri),
      context,
    );
  }

  /** Records an artifact's expiry on its job's stream; nothing when it expired or went already. */
  expire(command: ExpireArtifact, context: AppendContext): Promise<ArtifactEvent[]> {
    return this.decideAndAppend(command.jobId, (state) => decideExpiry(state, command), context);
  }

  /** Deletes every artifact of the job and closes its stream; nothing when that happened already. */
  erase(command: EraseJobArtifacts, context: AppendContext): Promise<ArtifactEvent[]> {
    return this.decideAndAppend(command.jobId, (state) => decideErasure(state, command), context);
  }

  private async decideAndAppend(
    jobId: string,
    decision: (state: JobArtifactsState) => ArtifactEvent[],
    context: AppendContext,
  ): Promise<ArtifactEvent[]> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(jobId);
      const events = decision(state);
      if (events.length === 0) return events;
      try {
        await this.eventStore.append({
          streamId: jobArtifactsStreamId(jobId),
          streamType: JOB_ARTIFACTS_STREAM_TYPE,
          expectedVersion: version === 0 ? 'no-stream' : version,
          events,
          context,
          outbox: events.map((_event, index) => ({ destination: ARTIFACT_EVENTS_STREAM, event: index })),
        });
        return events;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
