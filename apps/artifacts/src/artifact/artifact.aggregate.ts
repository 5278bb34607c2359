import type { ArtifactKind, BlobReference } from '@scriptripper/contracts';
import { conflict } from '@scriptripper/contracts';
import type { ArtifactEvent } from './artifact.events';

/** A job's artifacts as their events tell them. Pure: `evolve` folds events, `decide` answers a command. */
export interface JobArtifactsState {
  /** The job's owner, fixed by its first artifact. */
  readonly userId: string | null;
  readonly byKind: ReadonlyMap<ArtifactKind, RegisteredArtifact>;
}

export interface RegisteredArtifact {
  readonly artifactId: string;
  readonly checksum: string;
  readonly size: number;
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
  const { data } = event;
  return {
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
export function decide(state: JobArtifactsState, command: RegisterArtifact): ArtifactEvent[] {
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
