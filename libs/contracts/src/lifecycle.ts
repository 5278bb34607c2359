import type { ArtifactKind } from './jobs';

/**
 * Data lifecycle: deleting a job, expiring blobs after their retention, erasing a purged user's
 * data. Events stay in every service's log; read models and blobs go, and personal data inside the
 * events is shredded (its key destroyed).
 */

/** RPC patterns of the lifecycle slices (jobs on `rpc:jobs`, artifacts on `rpc:artifacts`). */
export const LifecycleRpc = {
  /** The owner deletes a job: cancelled first when still running, then JobDeleted. */
  deleteJob: 'jobs.delete',
  /** The owner deletes a batch: each of its jobs as by `jobs.delete`, then BatchDeleted. */
  deleteBatch: 'jobs.delete-batch',
  /** Every artifact of the caller (with its job id), for `GET /me/export`. */
  listUserArtifacts: 'artifacts.list-for-user',
} as const;

export interface DeleteJobRequest {
  readonly job_id: string;
}

export interface DeleteBatchRequest {
  readonly batch_id: string;
}

/** On `events:jobs`: the job's read models and blobs go; its events stay, its personal data shredded. */
export const JOB_DELETED = 'JobDeleted';
export interface JobDeletedEvent {
  readonly job_id: string;
  readonly user_id: string;
  readonly at: string;
}

/** On `events:jobs`, after the JobDeleted of each of its jobs: the batch's read model is gone. */
export const BATCH_DELETED = 'BatchDeleted';
export interface BatchDeletedEvent {
  readonly batch_id: string;
  readonly user_id: string;
  readonly job_ids: readonly string[];
  readonly at: string;
}

/**
 * How long a kind of blob is kept: `transcript` (the upload and the normalised transcript) for
 * RETENTION_TRANSCRIPT_DAYS (30), `output` (results, exports, prompt answers) for
 * RETENTION_OUTPUT_DAYS (180).
 */
export type RetentionClass = 'transcript' | 'output';
export const TRANSCRIPT_KINDS: readonly ArtifactKind[] = ['upload', 'transcript'];
export function retentionClassOf(kind: ArtifactKind): RetentionClass {
  return TRANSCRIPT_KINDS.includes(kind) ? 'transcript' : 'output';
}

/** On `events:artifacts` (type `ArtifactExpired`): the artifact's retention ran out; its blob is released. */
export interface ArtifactExpiredEvent {
  readonly artifact_id: string;
  readonly job_id: string;
  readonly user_id: string;
  readonly kind: ArtifactKind;
  readonly retention: RetentionClass;
  readonly at: string;
}

/** On `events:artifacts`: the artifact went with its job (JobDeleted) or its owner (UserPurged). */
export const ARTIFACT_DELETED = 'ArtifactDeleted';
export interface ArtifactDeletedEvent {
  readonly artifact_id: string;
  readonly job_id: string;
  readonly user_id: string;
  readonly kind: ArtifactKind;
  readonly reason: 'job-deleted' | 'user-purged';
  readonly at: string;
}

/** Consumers' names in the inboxes (one row per handled message and consumer). */
export const LifecycleConsumers = {
  jobsUserPurged: 'jobs.user-purged',
  artifactsJobCreated: 'artifacts.job-created',
  artifactsJobDeleted: 'artifacts.job-deleted',
  artifactsUserPurged: 'artifacts.user-purged',
} as const;
