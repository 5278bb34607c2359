import type { ErrorBody, ExportJobSource, ExportStatus, ExportSubjectType } from '@scriptripper/contracts';
import { conflict, notFound } from '@scriptripper/contracts';
import type { ExportEvent } from './export.events';

/**
 * An export as its events tell it. Pure. It ends once: completed with its artifacts or failed;
 * the same completion again (a retried worker) changes nothing, anything else after the end
 * is a CONFLICT.
 */
export interface Export {
  readonly exportId: string;
  readonly userId: string;
  readonly status: ExportStatus;
  readonly artifactIds: readonly string[];
}
export type ExportState = Export | null;
export const initialExportState: ExportState = null;

export type ExportCommand =
  | {
      readonly type: 'RequestExport';
      readonly exportId: string;
      readonly userId: string;
      readonly userRole: 'user' | 'admin';
      readonly subjectType: ExportSubjectType;
      readonly subjectId: string;
      readonly jobs: readonly ExportJobSource[];
      readonly at: string;
    }
  | { readonly type: 'CompleteExport'; readonly artifactIds: readonly string[]; readonly at: string }
  | { readonly type: 'FailExport'; readonly error: ErrorBody; readonly at: string };

export function evolve(state: ExportState, event: ExportEvent): ExportState {
  switch (event.type) {
    case 'ExportRequested':
      return {
        exportId: event.data.export_id,
        userId: event.data.user_id,
        status: 'pending',
        artifactIds: [],
      };
    case 'ExportCompleted':
      return state && { ...state, status: 'completed', artifactIds: event.data.artifact_ids };
    case 'ExportFailed':
      return state && { ...state, status: 'failed' };
  }
}

export function decide(state: ExportState, command: ExportCommand): ExportEvent[] {
  if (command.type === 'RequestExport') {
    if (state) throw conflict(`export ${command.exportId} exists already`);
    return [
      {
        type: 'ExportRequested',
        data: {
          export_id: command.exportId,
          user_id: command.userId,
          user_role: command.userRole,
          subject_type: command.subjectType,
          subject_id: command.subjectId,
          jobs: command.jobs,
          at: command.at,
        },
      },
    ];
  }
  if (!state) throw notFound('no such export');
  const base = { export_id: state.exportId, user_id: state.userId, at: command.at };
  if (command.type === 'CompleteExport') {
    if (state.status === 'completed' && sameIds(state.artifactIds, command.artifactIds)) return [];
    if (state.status !== 'pending') throw conflict(`export ${state.exportId} is ${state.status} already`);
    return [{ type: 'ExportCompleted', data: { ...base, artifact_ids: command.artifactIds } }];
  }
  if (state.status === 'failed') return [];
  if (state.status !== 'pending') throw conflict(`export ${state.exportId} is ${state.status} already`);
  return [{ type: 'ExportFailed', data: { ...base, error: command.error } }];
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}
