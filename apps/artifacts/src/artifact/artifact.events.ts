import type { ArtifactDeletedEvent, ArtifactExpiredEvent, ArtifactKind } from '@scriptripper/contracts';

/** An output of a job recorded: its blob (claim check) and how a download presents it. */
export interface ArtifactRegisteredEvent {
  readonly artifact_id: string;
  readonly job_id: string;
  readonly user_id: string;
  readonly kind: ArtifactKind;
  readonly uri: string;
  /** sha256 (hex) of the content: the blob's name. */
  readonly checksum: string;
  readonly size: number;
  readonly content_type: string;
  readonly filename: string;
}

/** Every artifact of the job is gone with it (after its ArtifactDeleted events): later registrations are refused. */
export interface JobArtifactsErasedEvent {
  readonly job_id: string;
  readonly user_id: string | null;
  readonly reason: ArtifactDeletedEvent['reason'];
  readonly at: string;
}

/**
 * The worker replaced an artifact's content (its speakers relabelled): same id, a new blob and
 * revision; the previous blob is released to the releaser once nothing live holds it.
 */
export interface ArtifactRevisedEvent extends ArtifactRegisteredEvent {
  /** 2 for the first revision (the registration is 1). */
  readonly revision: number;
  readonly previous_uri: string;
}

export type ArtifactEvent =
  | { readonly type: 'ArtifactRegistered'; readonly data: ArtifactRegisteredEvent }
  | { readonly type: 'ArtifactRevised'; readonly data: ArtifactRevisedEvent }
  | { readonly type: 'ArtifactExpired'; readonly data: ArtifactExpiredEvent }
  | { readonly type: 'ArtifactDeleted'; readonly data: ArtifactDeletedEvent }
  | { readonly type: 'JobArtifactsErased'; readonly data: JobArtifactsErasedEvent };

export const ARTIFACT_EVENT_TYPES: readonly ArtifactEvent['type'][] = [
  'ArtifactRegistered',
  'ArtifactRevised',
  'ArtifactExpired',
  'ArtifactDeleted',
  'JobArtifactsErased',
];

/**
 * One stream per job holds all its artifacts, so "one artifact per (job, kind)" is decided
 * on one stream and two workers registering the same kind race on its version.
 */
export const jobArtifactsStreamId = (jobId: string) => `job-artifacts-${jobId}`;
export const JOB_ARTIFACTS_STREAM_TYPE = 'job-artifacts';
