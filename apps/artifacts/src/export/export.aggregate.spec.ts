import { decide, evolve, initialExportState, type ExportCommand, type ExportState } from './export.aggregate';
import type { ExportEvent } from './export.events';

const at = '2026-11-28T10:00:00.000Z';
const request: ExportCommand = {
  type: 'RequestExport',
  exportId: 'e1',
  userId: 'u1',
  userRole: 'user',
  subjectType: 'job',
  subjectId: 'j1',
  jobs: [{ job_id: 'j1', results_json: null, results_md: null, transcript: null }],
  at,
};
const given = (...commands: ExportCommand[]): ExportState =>
  commands.reduce<ExportState>(
    (state, command) =>
      decide(state, command).reduce<ExportState>((s, e: ExportEvent) => evolve(s, e), state),
    initialExportState,
  );
const complete: ExportCommand = { type: 'CompleteExport', artifactIds: ['a1', 'a2'], at };
const fail: ExportCommand = {
  type: 'FailExport',
  error: { code: 'EXPORT_FAILED', message: 'no', retryable: false },
  at,
};

describe('the export aggregate', () => {
  it('is requested once, pending', () => {
    expect(given(request)).toEqual({ exportId: 'e1', userId: 'u1', status: 'pending', artifactIds: [] });
    expect(() => decide(given(request), request)).toThrow('exists already');
  });

  it('completes with its artifacts; the same completion again changes nothing', () => {
    const state = given(request, complete);
    expect(state).toMatchObject({ status: 'completed', artifactIds: ['a1', 'a2'] });
    expect(decide(state, complete)).toEqual([]);
    expect(() => decide(state, { ...complete, artifactIds: ['a3'] })).toThrow('completed already');
    expect(() => decide(state, fail)).toThrow('completed already');
  });

  it('fails once and refuses a completion afterwards', () => {
    const state = given(request, fail);
    expect(state?.status).toBe('failed');
    expect(decide(state, fail)).toEqual([]);
    expect(() => decide(state, complete)).toThrow('failed already');
  });

  it('knows no export before it was requested', () => {
    expect(() => decide(initialExportState, complete)).toThrow('no such export');
  });
});
