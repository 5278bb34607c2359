import type { ErrorBody, ExportJobSource, ExportSubjectType } from '@scriptripper/contracts';

/** An export was asked for: what it holds is fixed here (the jobs and their outputs' blobs). */
export interface ExportRequestedData {
  readonly export_id: string;
  readonly user_id: string;
  readonly user_role: 'user' | 'admin';
  readonly subject_type: ExportSubjectType;
  readonly subject_id: string;
  readonly jobs: readonly ExportJobSource[];
  readonly at: string;
}
/** The worker built the export; its files are artifacts whose subject is the export. */
export interface ExportCompletedData {
  readonly export_id: string;
  readonly user_id: string;
  readonly artifact_ids: readonly string[];
  readonly at: string;
}
export interface ExportFailedData {
  readonly export_id: string;
  readonly user_id: string;
  readonly error: ErrorBody;
  readonly at: string;
}

export type ExportEvent =
  | { readonly type: 'ExportRequested'; readonly data: ExportRequestedData }
  | { readonly type: 'ExportCompleted'; readonly data: ExportCompletedData }
  | { readonly type: 'ExportFailed'; readonly data: ExportFailedData };

export const EXPORT_EVENT_TYPES: readonly ExportEvent['type'][] = [
  'ExportRequested',
  'ExportCompleted',
  'ExportFailed',
];
export const exportStreamId = (exportId: string) => `export-${exportId}`;
export const EXPORT_STREAM_TYPE = 'export';
