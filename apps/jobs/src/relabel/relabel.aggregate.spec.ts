import {
  decide,
  evolve,
  initialJobSpeakersState,
  type JobSpeakersState,
  type RelabelCommand,
  type RelabelRequestedData,
} from './relabel.aggregate';

const at = '2026-11-28T10:00:00.000Z';
const requested = (relabelId: string): RelabelRequestedData => ({
  relabel_id: relabelId,
  job_id: 'j1',
  user_id: 'u1',
  user_role: 'user',
  rename: 'pd1:sealed',
  profile: { key: 'meeting', version: 1 },
  at,
});
const request = (relabelId: string): RelabelCommand => ({
  type: 'RequestRelabel',
  request: requested(relabelId),
});
const applied = (relabelId: string): RelabelCommand => ({
  type: 'MarkApplied',
  relabelId,
  artifactIds: ['a1', 'a2', 'a3'],
  at,
});
const failed = (relabelId: string): RelabelCommand => ({
  type: 'MarkFailed',
  relabelId,
  error: { code: 'OUTPUTS_UNAVAILABLE', message: 'gone', retryable: false },
  at,
});

function given(...commands: RelabelCommand[]): JobSpeakersState {
  return commands.reduce(
    (state, command) => decide(state, command).reduce(evolve, state),
    initialJobSpeakersState,
  );
}
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('a job’s speaker relabellings', () => {
  it('records a request with the sealed renames, pending', () => {
    expect(decide(initialJobSpeakersState, request('r1'))).toEqual([
      { type: 'SpeakersRelabelRequested', data: requested('r1') },
    ]);
    expect(given(request('r1'))).toMatchObject({ pending: 'r1' });
  });

  it('refuses a second relabelling while one is being applied, and takes it once that one ended', () => {
    expect(codeOf(() => decide(given(request('r1')), request('r2')))).toBe('CONFLICT');
    expect(decide(given(request('r1'), applied('r1')), request('r2'))).toHaveLength(1);
    expect(decide(given(request('r1'), failed('r1')), request('r2'))).toHaveLength(1);
  });

  it('ends a relabelling once; the same outcome again changes nothing, another is a CONFLICT', () => {
    const done = given(request('r1'), applied('r1'));
    expect(done.relabels.get('r1')?.status).toBe('applied');
    expect(done.pending).toBeNull();
    expect(decide(done, applied('r1'))).toEqual([]);
    expect(codeOf(() => decide(done, failed('r1')))).toBe('CONFLICT');
    expect(codeOf(() => decide(done, applied('unknown')))).toBe('NOT_FOUND');
  });
});
