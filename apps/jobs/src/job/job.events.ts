import type {
  BlobReference,
  JobDeletedEvent,
  JobMetrics,
  JobStatusChanged,
  TranscriptFormatName,
} from '@scriptripper/contracts';

/** A failure as the worker (or the watchdog) reports it. */
export interface JobError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

/** Every job event carries the status view (`JobStatusChanged`), so SSE readers need no lookup. */
export interface JobCreatedData extends JobStatusChanged {
  readonly profile_id: string;
  readonly profile_key: string;
  readonly profile_version: number;
  /** The owner's role when the job was created: the work message's actor. */
  readonly user_role: 'user' | 'admin';
  readonly input: BlobReference;
  readonly format: TranscriptFormatName | null;
  readonly filename: string | null;
  readonly meeting_date: string | null;
  /** The batch the job was submitted in; absent for a job submitted alone. */
  readonly batch_id?: string;
  /** The job this one re-runs (`POST /jobs/{id}/rerun`); absent for a job submitted anew. */
  readonly rerun_of?: string;
}
export type JobQueuedData = JobStatusChanged;
export type JobStartedData = JobStatusChanged;
/** The worker's heartbeat on a running attempt: it moves the read model's `updated_at`, so the watchdog waits. */
export type JobProgressedData = JobStatusChanged;
export interface JobCompletedData extends JobStatusChanged {
  readonly metrics: JobMetrics;
  readonly cost: number;
  readonly artifact_ids: readonly string[];
}
export interface JobFailedData extends JobStatusChanged {
  readonly error: JobError;
}
export type JobCancelledData = JobStatusChanged;
/** The job goes back to `queued` for `attempt`; its work message is sent at `retry_at`. */
export interface JobRetryScheduledData extends JobStatusChanged {
  readonly retry_at: string;
  readonly reason: 'failed' | 'stalled';
  readonly error: JobError | null;
}

/** The owner deleted the job: its read models and blobs go; later commands find no job. */
export type JobDeletedData = JobDeletedEvent;
/** The job's transcript (upload or normalised form) expired under retention (ArtifactExpired from artifacts). */
export interface JobTranscriptExpiredData {
  readonly job_id: string;
  readonly user_id: string;
  readonly at: string;
}

export interface JobEventMap {
  JobCreated: JobCreatedData;
  JobQueued: JobQueuedData;
  JobStarted: JobStartedData;
  JobProgressed: JobProgressedData;
  JobCompleted: JobCompletedData;
  JobFailed: JobFailedData;
  JobCancelled: JobCancelledData;
  JobRetryScheduled: JobRetryScheduledData;
  JobDeleted: JobDeletedData;
  JobTranscriptExpired: JobTranscriptExpiredData;
}
export type JobEventType = keyof JobEventMap;

export type JobEvent = {
  [K in JobEventType]: { readonly type: K; readonly data: JobEventMap[K] };
}[JobEventType];

export const JOB_EVENT_TYPES: readonly JobEventType[] = [
  'JobCreated',
  'JobQueued',
  'JobStarted',
  'JobProgressed',
  'JobCompleted',
  'JobFailed',
  'JobCancelled',
  'JobRetryScheduled',
  'JobDeleted',
  'JobTranscriptExpired',
];

export const jobStreamId = (jobId: string) => `job-${jobId}`;
export const JOB_STREAM_TYPE = 'job';
