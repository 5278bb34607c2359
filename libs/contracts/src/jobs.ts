import type { PageRequest } from './identity';
import { Streams } from './streams';

/**
 * Jobs, analysis work and artifacts: what the gateway, the jobs service, the worker and the
 * artifacts service say to each other. Large payloads never travel through Redis: messages
 * carry a blob's uri, sha256 and size (claim check). DTOs are snake_case, as the HTTP API is.
 */

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export const TRANSCRIPT_FORMATS = [
  'webvtt',
  'srt',
  'json',
  'whisper-json',
  'assemblyai-json',
  'deepgram-json',
  'segments-json',
  'plain',
  'otter',
] as const;
export type TranscriptFormatName = (typeof TRANSCRIPT_FORMATS)[number];

/** A blob in the content-addressed store, by reference. */
export interface BlobReference {
  /** `blob://sha256/<hex>` */
  readonly uri: string;
  readonly sha256: string;
  readonly size: number;
}

/** RPC patterns of the jobs service (on `rpc:jobs`). */
export const JobsRpc = {
  create: 'jobs.create',
  get: 'jobs.get',
  list: 'jobs.list',
  cancel: 'jobs.cancel',
  /** The worker reports progress; authorised for the `worker` service actor only. */
  markStarted: 'jobs.mark-started',
  markCompleted: 'jobs.mark-completed',
  markFailed: 'jobs.mark-failed',
  /** The worker is still on the attempt (a long LLM call), so the watchdog leaves the job alone; worker only. */
  heartbeat: 'jobs.heartbeat',
} as const;

/** The gateway asks jobs to create a job after it stored the transcript in the blob store. */
export interface CreateJobRequest {
  readonly profile: string;
  readonly profile_version?: number;
  readonly input: BlobReference;
  readonly format?: TranscriptFormatName;
  readonly filename?: string;
  /** `YYYY-MM-DD`: resolves relative due dates ("by Friday"). */
  readonly meeting_date?: string;
  /** The client's `Idempotency-Key`, kept durably per user by jobs. */
  readonly idempotency_key?: string;
  /** sha256 of the request (body + fields): same key with another request answers CONFLICT. */
  readonly request_hash: string;
}
export interface CreateJobResponse {
  readonly job_id: string;
  /** True when an earlier request with the same key and request created it. */
  readonly replayed: boolean;
}

export interface JobMetrics {
  readonly duration_ms: number | null;
  readonly words: number | null;
  readonly segments: number | null;
  readonly speakers: number | null;
  readonly tokens: number | null;
  /** Items whose evidence quote was not found verbatim and were dropped (LLM providers). */
  readonly dropped_items?: number;
  /** Tokens sent to and received from LLMs (failed tries included: they are billed). */
  readonly input_tokens?: number;
  readonly output_tokens?: number;
  /** Who analysed: `offline`, `openai`, `anthropic` or `gemini`, and the model (null offline). */
  readonly provider?: string;
  readonly model?: string | null;
}

export interface JobView {
  readonly id: string;
  readonly user_id: string;
  readonly profile_id: string;
  readonly profile_key: string;
  readonly profile_version: number;
  readonly status: JobStatus;
  readonly input_uri: string;
  readonly format: TranscriptFormatName | null;
  readonly filename: string | null;
  readonly meeting_date: string | null;
  readonly attempts: number;
  readonly metrics: JobMetrics | null;
  /** In US dollars; 0 for the built-in analyzer. */
  readonly cost: number;
  readonly error: { readonly code: string; readonly message: string; readonly retryable: boolean } | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly completed_at: string | null;
  /** The batch the job was submitted in, if any. */
  readonly batch_id?: string | null;
  /** The job this one re-ran (`POST /jobs/{id}/rerun`), if any. */
  readonly rerun_of?: string | null;
  /** Who analysed the job (`offline`, `openai:gpt-4o-mini`, ...), once it completed; null before. */
  readonly provider?: string | null;
  /** When the job's transcript (upload and normalised form) expired under retention; null while kept. */
  readonly transcript_expired_at?: string | null;
}

export interface GetJobRequest {
  readonly job_id: string;
}
export interface ListJobsRequest extends PageRequest {
  readonly status?: JobStatus;
  /** Only jobs of this profile key. */
  readonly profile?: string;
  /** Only the jobs of this batch. */
  readonly batch_id?: string;
  /** ISO-8601: created at or after (inclusive). */
  readonly created_from?: string;
  /** ISO-8601: created before (exclusive). */
  readonly created_to?: string;
}
export interface CancelJobRequest {
  readonly job_id: string;
}

export interface MarkJobStartedRequest {
  readonly job_id: string;
  /** The work message's attempt number, so a stale worker's report is refused. */
  readonly attempt: number;
}
/** `jobs.heartbeat`: the attempt the worker is still analysing. */
export interface JobHeartbeatRequest {
  readonly job_id: string;
  readonly attempt: number;
}
export interface MarkJobCompletedRequest {
  readonly job_id: string;
  readonly attempt: number;
  readonly metrics: JobMetrics;
  readonly cost: number;
  /** The artifact ids registered for this job (transcript, results_json, results_md). */
  readonly artifact_ids: readonly string[];
}
export interface MarkJobFailedRequest {
  readonly job_id: string;
  readonly attempt: number;
  readonly error: { readonly code: string; readonly message: string; readonly retryable: boolean };
}

/** Domain events of the jobs service, on `events:jobs` (status changes feed SSE through the fan-out read). */
export const JobEvents = {
  created: 'JobCreated',
  queued: 'JobQueued',
  started: 'JobStarted',
  /** A running attempt's heartbeat: status `running` again, same attempt (SSE shows nothing new). */
  progressed: 'JobProgressed',
  completed: 'JobCompleted',
  failed: 'JobFailed',
  cancelled: 'JobCancelled',
  retryScheduled: 'JobRetryScheduled',
} as const;
export const JOB_EVENTS_STREAM = Streams.events('jobs');

/** What every job event's data carries, so a status view needs no lookup. */
export interface JobStatusChanged {
  readonly job_id: string;
  readonly user_id: string;
  readonly status: JobStatus;
  readonly attempt: number;
  readonly at: string;
}

/**
 * The message on `work:analysis` (type `AnalyzeTranscript`), written by jobs' outbox. Its actor
 * is the job's owner; the worker acts as `service:worker` towards other services, on the
 * owner's behalf (`on_behalf_of`).
 */
export const ANALYZE_TRANSCRIPT = 'AnalyzeTranscript';
export interface AnalyzeTranscriptWork {
  readonly job_id: string;
  readonly user_id: string;
  readonly attempt: number;
  readonly input: BlobReference;
  readonly format: TranscriptFormatName | null;
  readonly filename: string | null;
  readonly meeting_date: string | null;
  readonly profile: {
    readonly key: string;
    readonly version: number;
  };
}

/** Kinds of artifact a job has; one artifact per (job, kind). */
export const ARTIFACT_KINDS = [
  'transcript',
  'results_json',
  'results_md',
  'export_zip',
  'export_json',
] as const;
/**
 * `upload`: the job's input blob, registered by artifacts itself when it sees JobCreated (so
 * retention and erasure see every blob of a job in one place); never registered by the worker,
 * never listed among a job's outputs.
 */
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number] | `prompt:${string}` | 'upload';

/** RPC patterns of the artifacts service (on `rpc:artifacts`). */
export const ArtifactsRpc = {
  /** The worker registers an output; the same (job, kind) again answers the existing artifact. */
  register: 'artifacts.register',
  listForJob: 'artifacts.list-for-job',
  get: 'artifacts.get',
  /** A short-lived signed download URL for the artifact's owner. */
  sign: 'artifacts.sign',
  /** The gateway checks a download's signature and gets the blob to stream. */
  resolveDownload: 'artifacts.resolve-download',
} as const;

export interface RegisterArtifactRequest {
  readonly job_id: string;
  /** The owner of the job (the worker acts for them). */
  readonly user_id: string;
  readonly kind: ArtifactKind;
  readonly blob: BlobReference;
  /** `text/markdown`, `application/json`, ... */
  readonly content_type: string;
  /** The file name a download suggests (`results.md`). */
  readonly filename: string;
}
export interface ArtifactView {
  readonly id: string;
  readonly job_id: string;
  readonly kind: ArtifactKind;
  readonly uri: string;
  readonly checksum: string;
  readonly size: number;
  readonly content_type: string;
  readonly filename: string;
  readonly created_at: string;
}
export interface ListJobArtifactsRequest {
  readonly job_id: string;
}
export interface GetArtifactRequest {
  readonly artifact_id: string;
}
export interface SignedDownload {
  /** Relative to the gateway: `/api/v1/downloads/{id}?exp=...&kid=...&sig=...`. */
  readonly url: string;
  readonly expires_at: string;
}
export interface ResolveDownloadRequest {
  readonly artifact_id: string;
  readonly exp: string;
  readonly kid: string;
  readonly sig: string;
}
export interface ResolvedDownload {
  readonly blob: BlobReference;
  readonly content_type: string;
  readonly filename: string;
}

export const ArtifactEvents = {
  registered: 'ArtifactRegistered',
  expired: 'ArtifactExpired',
} as const;
export const ARTIFACT_EVENTS_STREAM = Streams.events('artifacts');
