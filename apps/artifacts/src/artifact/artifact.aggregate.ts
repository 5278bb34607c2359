import type {
  ArtifactDeletedEvent,
  ArtifactKind,
  BlobReference,
  RetentionClass,
} from '@scriptripper/contracts';
import { conflict, notFound } from '@scriptripper/contracts';
import type { ArtifactEvent, ArtifactRevisedEvent } from './artifact.events';

/** A job's artifacts as their events tell them. Pure: `evolve` folds events, `decide` answers a command. */
export interface JobArtifactsState {
  /** The job's owner, fixed by its first artifact. */
  readonly userId: string | null;
  readonly byKind: ReadonlyMap<ArtifactKind, RegisteredArtifact>;
  /** JobArtifactsErased: the job (or its owner) is gone, and nothing more is registered for it. */
  readonly erased?: boolean;
}

export interface RegisteredArtifact {
  readonly artifactId: string;
  readonly checksum: string;
  readonly size: number;
  /** ArtifactExpired: its retention ran out and its blob was released. */
  readonly expired?: boolean;
  /** ArtifactDeleted with its job or owner. */
  readonly deleted?: boolean;
  /** 1 when registered, one more for each ArtifactRevised. */
  readonly revision?: number;
}

export const initialJobArtifactsState: JobArtifactsState = { userId: null, byKind: new Map() };

/** The blob must have been checked to exist with this sha256 and size before. */
export interface RegisterArtifact {
  readonly type: 'RegisterArtifact';
  readonly artifactId: string;
  readonly jobId: string;
  readonly userId: string;
  readonly kind: ArtifactKind;
  readonly blob: BlobReference;
  readonly contentType: string;
  readonly filename: string;
}

export function evolve(state: JobArtifactsState, event: ArtifactEvent): JobArtifactsState {
  if (event.type === 'ArtifactRevised') return evolveRevision(state, event.data);
  if (event.type !== 'ArtifactRegistered') return evolveLifecycle(state, event);
  const { data } = event;
  return {
    ...state,
    userId: state.userId ?? data.user_id,
    byKind: new Map(state.byKind).set(data.kind, {
      artifactId: data.artifact_id,
      checksum: data.checksum,
      size: data.size,
    }),
  };
}

/**
 * One artifact per (job, kind): the same blob again changes nothing (a retried worker), another
 * blob for a kind already registered is a CONFLICT, as is a job claimed for another owner.
 */
export function decide(
  state: JobArtifactsState,
  command: RegisterArtifact,
): Extract<ArtifactEvent, { type: 'ArtifactRegistered' }>[] {
  if (state.erased) throw conflict(`job ${command.jobId} and its artifacts were deleted`);
  if (state.userId !== null && state.userId !== command.userId) {
    throw conflict(`job ${command.jobId} has artifacts of another owner`);
  }
  const existing = state.byKind.get(command.kind);
  if (existing) {
    if (existing.checksum === command.blob.sha256 && existing.size === command.blob.size) return [];
    throw conflict(`job ${command.jobId} has a different ${command.kind} artifact already`);
  }
  return [
    {
      type: 'ArtifactRegistered',
      data: {
        artifact_id: command.artifactId,
        job_id: command.jobId,
        user_id: command.userId,
        kind: command.kind,
        uri: command.blob.uri,
        checksum: command.blob.sha256,
        size: command.blob.size,
        content_type: command.contentType,
        filename: command.filename,
      },
    },
  ];
}

/** The retention of one of the job's artifacts ran out (decided by the sweep on the read model). */
export interface ExpireArtifact {
  readonly type: 'ExpireArtifact';
  readonly jobId: string;
  readonly kind: ArtifactKind;
  readonly retention: RetentionClass;
  readonly at: string;
}

/** The job was deleted, or its owner purged: every artifact goes, and the stream takes no more. */
export interface EraseJobArtifacts {
  readonly type: 'EraseJobArtifacts';
  readonly jobId: string;
  readonly reason: ArtifactDeletedEvent['reason'];
  readonly at: string;
}

/** Expiring twice, or an artifact that is gone, records nothing: two sweeps racing expire it once. */
export function decideExpiry(state: JobArtifactsState, command: ExpireArtifact): ArtifactEvent[] {
  const artifact = state.byKind.get(command.kind);
  if (!artifact || artifact.expired || artifact.deleted || state.erased || !state.userId) return [];
  return [
    {
      type: 'ArtifactExpired',
      data: {
        artifact_id: artifact.artifactId,
        job_id: command.jobId,
        user_id: state.userId,
        kind: command.kind,
        retention: command.retention,
        at: command.at,
      },
    },
  ];
}

/** One ArtifactDeleted per artifact not deleted yet, then the stream is closed; erasing again records nothing. */
export function decideErasure(state: JobArtifactsState, command: EraseJobArtifacts): ArtifactEvent[] {
  if (state.erased) return [];
  const deleted: ArtifactEvent[] = [...state.byKind]
    .filter(([, artifact]) => !artifact.deleted)
    .map(([kind, artifact]) => ({
      type: 'ArtifactDeleted',
      data: {
        artifact_id: artifact.artifactId,
        job_id: command.jobId,
        user_id: state.userId ?? '',
        kind,
        reason: command.reason,
        at: command.at,
      },
    }));
  return [
    ...deleted,
    {
      type: 'JobArtifactsErased',
      data: { job_id: command.jobId, user_id: state.userId, reason: command.reason, at: command.at },
    },
  ];
}

/** The worker replaces the content of a registered artifact (a relabelled output), keeping its id. */
export interface ReviseArtifact {
  readonly type: 'ReviseArtifact';
  readonly jobId: string;
  readonly userId: string;
  readonly kind: ArtifactKind;
  readonly blob: BlobReference;
  readonly contentType: string;
  readonly filename: string;
}

/**
 * A revision of a live artifact of the same owner; the same blob again changes nothing (a
 * retried worker). An artifact never registered is NOT_FOUND; one expired or deleted, a CONFLICT.
 */
export function decideRevision(
  state: JobArtifactsState,
  command: ReviseArtifact,
  previousUri: string,
): ArtifactEvent[] {
  const artifact = state.byKind.get(command.kind);
  if (!artifact || state.userId === null)
    throw notFound(`job ${command.jobId} has no ${command.kind} artifact`);
  if (state.userId !== command.userId) throw conflict(`job ${command.jobId} has artifacts of another owner`);
  if (state.erased || artifact.deleted || artifact.expired) {
    throw conflict(`the ${command.kind} artifact of job ${command.jobId} is gone; it cannot be revised`);
  }
  if (artifact.checksum === command.blob.sha256 && artifact.size === command.blob.size) return [];
  return [
    {
      type: 'ArtifactRevised',
      data: {
        artifact_id: artifact.artifactId,
        job_id: command.jobId,
        user_id: command.userId,
        kind: command.kind,
        uri: command.blob.uri,
        checksum: command.blob.sha256,
        size: command.blob.size,
        content_type: command.contentType,
        filename: command.filename,
        revision: (artifact.revision ?? 1) + 1,
        previous_uri: previousUri,
      },
    },
  ];
}

function evolveRevision(state: JobArtifactsState, data: ArtifactRevisedEvent): JobArtifactsState {
  const artifact = state.byKind.get(data.kind);
  if (!artifact) return state;
  return {
    ...state,
    byKind: new Map(state.byKind).set(data.kind, {
      ...artifact,
      checksum: data.checksum,
      size: data.size,
      revision: data.revision,
    }),
  };
}

function evolveLifecycle(
  state: JobArtifactsState,
  event: Exclude<ArtifactEvent, { type: 'ArtifactRegistered' | 'ArtifactRevised' }>,
): JobArtifactsState {
  if (event.type === 'JobArtifactsErased') return { ...state, erased: true };
  const artifact = state.byKind.get(event.data.kind);
  if (!artifact) return state;
  const change = event.type === 'ArtifactExpired' ? { expired: true } : { deleted: true };
  return { ...state, byKind: new Map(state.byKind).set(event.data.kind, { ...artifact, ...change }) };
}
