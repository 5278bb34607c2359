import type { ErrorBody } from './envelope';
import type { ArtifactKind, ArtifactView, BlobReference } from './jobs';

/**
 * Exports: a ZIP and a JSON document of one job or of a batch's completed jobs, each with a
 * manifest of every file's sha256 and size. The artifacts service owns export records (stream
 * `export-<id>`: ExportRequested, ExportCompleted, ExportFailed; read model `exports`) and
 * writes the `BuildExport` work message; the worker builds the files and completes the export.
 * An export's files are artifacts whose subject (`job_id`) is the export's own id, so "one
 * artifact per (subject, kind)" holds for every export, of a job or of a batch.
 */

export const EXPORT_STATUSES = ['pending', 'completed', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];
export type ExportSubjectType = 'job' | 'batch';

/** RPC patterns of exports, served by the artifacts service (on `rpc:artifacts`). */
export const ExportsRpc = {
  request: 'artifacts.request-export',
  get: 'artifacts.get-export',
  /** The worker registers the built files and completes the export. */
  complete: 'artifacts.complete-export',
  fail: 'artifacts.fail-export',
} as const;

export interface RequestExportRequest {
  readonly subject_type: ExportSubjectType;
  readonly subject_id: string;
  /** The completed jobs to export, in order; each must have artifacts of the caller. */
  readonly job_ids: readonly string[];
  /** The client's `Idempotency-Key`: the same key for the same subject answers the same export. */
  readonly idempotency_key?: string;
}
export interface RequestExportResponse {
  readonly export_id: string;
  /** True when an earlier request with the same key created it. */
  readonly replayed?: boolean;
}

export interface GetExportRequest {
  readonly export_id: string;
}

export interface ExportView {
  readonly id: string;
  readonly subject_type: ExportSubjectType;
  readonly subject_id: string;
  readonly status: ExportStatus;
  readonly artifacts: readonly ArtifactView[];
  readonly error: ErrorBody | null;
  readonly created_at: string;
  readonly completed_at: string | null;
}

/** A job's stored outputs an export reads (absent when not registered, or expired). */
export interface ExportJobSource {
  readonly job_id: string;
  readonly results_json: BlobReference | null;
  readonly results_md: BlobReference | null;
  readonly transcript: BlobReference | null;
}

/** The message on `work:analysis` (type `BuildExport`), written by the artifacts service's outbox. */
export const BUILD_EXPORT = 'BuildExport';
export interface BuildExportWork {
  readonly export_id: string;
  readonly user_id: string;
  readonly subject_type: ExportSubjectType;
  readonly subject_id: string;
  readonly jobs: readonly ExportJobSource[];
}

export interface ExportOutput {
  readonly kind: Extract<ArtifactKind, 'export_zip' | 'export_json'>;
  readonly blob: BlobReference;
  readonly content_type: string;
  readonly filename: string;
}
export interface CompleteExportRequest {
  readonly export_id: string;
  readonly outputs: readonly ExportOutput[];
}
export interface FailExportRequest {
  readonly export_id: string;
  readonly error: ErrorBody;
}

export const ExportEvents = {
  requested: 'ExportRequested',
  completed: 'ExportCompleted',
  failed: 'ExportFailed',
} as const;
