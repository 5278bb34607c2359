import {
  decide,
  decideErasure,
  decideRevision,
  evolve,
  initialJobArtifactsState,
  type JobArtifactsState,
  type ReviseArtifact,
} from './artifact.aggregate';

const sha = (char: string) => char.repeat(64);
const registered = decide(initialJobArtifactsState, {
  type: 'RegisterArtifact',
  artifactId: 'a1',
  jobId: 'j1',
  userId: 'u1',
  kind: 'results_md',
  blob: { uri: `blob://sha256/${sha('a')}`, sha256: sha('a'), size: 10 },
  contentType: 'text/markdown',
  filename: 'results.md',
}).reduce(evolve, initialJobArtifactsState);
const revise = (sha256: string, size = 12): ReviseArtifact => ({
  type: 'ReviseArtifact',
  jobId: 'j1',
  userId: 'u1',
  kind: 'results_md',
  blob: { uri: `blob://sha256/${sha256}`, sha256, size },
  contentType: 'text/markdown',
  filename: 'results.md',
});
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('revising an artifact', () => {
  it('keeps the artifact id, counts revisions and names the blob it replaces', () => {
    const [first] = decideRevision(registered, revise(sha('b')), `blob://sha256/${sha('a')}`);
    expect(first).toMatchObject({
      type: 'ArtifactRevised',
      data: {
        artifact_id: 'a1',
        checksum: sha('b'),
        size: 12,
        revision: 2,
        previous_uri: `blob://sha256/${sha('a')}`,
      },
    });
    const once: JobArtifactsState = [first]
      .flatMap((event) => (event ? [event] : []))
      .reduce(evolve, registered);
    expect(once.byKind.get('results_md')).toMatchObject({
      artifactId: 'a1',
      checksum: sha('b'),
      revision: 2,
    });
    const [second] = decideRevision(once, revise(sha('c')), `blob://sha256/${sha('b')}`);
    expect(second?.data).toMatchObject({ revision: 3 });
  });

  it('changes nothing for the same blob again (a retried worker)', () => {
    expect(decideRevision(registered, revise(sha('a'), 10), 'x')).toEqual([]);
  });

  it('refuses a kind never registered, another owner, and an erased job', () => {
    expect(codeOf(() => decideRevision(registered, { ...revise(sha('b')), kind: 'results_json' }, 'x'))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(() => decideRevision(registered, { ...revise(sha('b')), userId: 'u2' }, 'x'))).toBe(
      'CONFLICT',
    );
    const erased = decideErasure(registered, {
      type: 'EraseJobArtifacts',
      jobId: 'j1',
      reason: 'job-deleted',
      at: 'now',
    }).reduce(evolve, registered);
    expect(codeOf(() => decideRevision(erased, revise(sha('b')), 'x'))).toBe('CONFLICT');
  });
});
