import type { PageRequest } from './identity';
import type { BlobReference, JobStatus, TranscriptFormatName } from './jobs';

/**
 * Batches: N transcripts submitted at once under one profile version. The jobs service owns
 * them (stream `batch-<id>`, read model `batches`); each item is an ordinary job carrying the
 * batch's id. A batch's status is derived from its jobs' statuses, never stored.
 */

/** RPC patterns of batches, served by the jobs service (on `rpc:jobs`). */
export const BatchesRpc = {
  create: 'jobs.create-batch',
  get: 'jobs.get-batch',
  list: 'jobs.list-batches',
  /** What an export of a job or a batch of the caller covers (its completed jobs). */
  exportSubject: 'jobs.export-subject',
} as const;

/** How many items a batch may hold unless configured otherwise (`BATCH_MAX_ITEMS`). */
export const DEFAULT_BATCH_MAX_ITEMS = 100;

export interface CreateBatchItem {
  readonly input: BlobReference;
  readonly format?: TranscriptFormatName;
  readonly filename?: string;
}

export interface CreateBatchRequest {
  readonly profile: string;
  readonly profile_version?: number;
  readonly meeting_date?: string;
  readonly items: readonly CreateBatchItem[];
  readonly idempotency_key?: string;
  /** sha256 of the whole request: same key with another request answers CONFLICT. */
  readonly request_hash: string;
}

export interface CreateBatchResponse {
  readonly batch_id: string;
  /** In the items' order. */
  readonly job_ids: readonly string[];
  readonly replayed: boolean;
}

export const BATCH_STATUSES = ['running', 'completed', 'partially_failed', 'failed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export interface BatchCounts {
  readonly total: number;
  readonly queued: number;
  readonly running: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
}

export interface BatchItemView {
  readonly job_id: string;
  readonly filename: string | null;
  readonly status: JobStatus;
}

export interface BatchView {
  readonly id: string;
  readonly user_id: string;
  readonly profile_key: string;
  readonly profile_version: number;
  readonly status: BatchStatus;
  readonly counts: BatchCounts;
  readonly items: readonly BatchItemView[];
  readonly created_at: string;
}

export interface GetBatchRequest {
  readonly batch_id: string;
}
export type ListBatchesRequest = PageRequest;

export interface ExportSubjectRequest {
  /** A job id or a batch id of the caller. */
  readonly id: string;
}
export interface ExportSubject {
  readonly subject_type: 'job' | 'batch';
  readonly subject_id: string;
  /** The completed jobs the export holds, in the batch's order. */
  readonly job_ids: readonly string[];
}

/**
 * A batch's status from its jobs' statuses: running while any job is not terminal; then
 * completed (all completed), failed (none completed, some failed), cancelled (all cancelled),
 * partially_failed (some completed, others failed or cancelled).
 */
export function batchStatusOf(counts: BatchCounts): BatchStatus {
  if (counts.queued + counts.running > 0) return 'running';
  if (counts.completed === counts.total) return 'completed';
  if (counts.completed > 0) return 'partially_failed';
  if (counts.failed > 0) return 'failed';
  return 'cancelled';
}

export function batchCountsOf(statuses: readonly JobStatus[]): BatchCounts {
  const counts = { total: statuses.length, queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const status of statuses) counts[status] += 1;
  return counts;
}
