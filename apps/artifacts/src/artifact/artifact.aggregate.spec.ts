import { DomainError } from '@scriptripper/contracts';
import {
  decide,
  evolve,
  initialJobArtifactsState,
  type JobArtifactsState,
  type RegisterArtifact,
} from './artifact.aggregate';
import type { ArtifactEvent } from './artifact.events';

const sha = (char: string) => char.repeat(64);
const register = (overrides: Partial<RegisterArtifact> = {}): RegisterArtifact => ({
  type: 'RegisterArtifact',
  artifactId: 'a-1',
  jobId: 'job-1',
  userId: 'user-1',
  kind: 'results_md',
  blob: { uri: `blob://sha256/${sha('a')}`, sha256: sha('a'), size: 120 },
  contentType: 'text/markdown',
  filename: 'results.md',
  ...overrides,
});
const given = (...events: ArtifactEvent[]): JobArtifactsState =>
  events.reduce(evolve, initialJobArtifactsState);
const registered = decide(initialJobArtifactsState, register());
const refusal = (state: JobArtifactsState, command: RegisterArtifact) => {
  try {
    decide(state, command);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the command was not refused');
};

describe("a job's artifacts", () => {
  it('registers an artifact with its blob, owner and presentation', () => {
    expect(registered).toEqual([
      {
        type: 'ArtifactRegistered',
        data: {
          artifact_id: 'a-1',
          job_id: 'job-1',
          user_id: 'user-1',
          kind: 'results_md',
          uri: `blob://sha256/${sha('a')}`,
          checksum: sha('a'),
          size: 120,
          content_type: 'text/markdown',
          filename: 'results.md',
        },
      },
    ]);
    expect(given(...registered).byKind.get('results_md')).toEqual({
      artifactId: 'a-1',
      checksum: sha('a'),
      size: 120,
    });
  });

  it('changes nothing when the same blob is registered again for the kind, whatever new id it was given', () => {
    expect(decide(given(...registered), register({ artifactId: 'a-2' }))).toEqual([]);
  });

  it('refuses another blob for a kind the job has already', () => {
    const other = register({
      artifactId: 'a-2',
      blob: { uri: `blob://sha256/${sha('b')}`, sha256: sha('b'), size: 120 },
    });
    expect(refusal(given(...registered), other)).toEqual({
      code: 'CONFLICT',
      message: 'job job-1 has a different results_md artifact already',
    });
  });

  it('registers other kinds beside it', () => {
    const json = register({
      artifactId: 'a-3',
      kind: 'results_json',
      blob: { uri: `blob://sha256/${sha('c')}`, sha256: sha('c'), size: 9 },
    });
    const events = decide(given(...registered), json);
    expect(events.map((event) => event.data.kind)).toEqual(['results_json']);
    expect([...given(...registered, ...events).byKind.keys()]).toEqual(['results_md', 'results_json']);
  });

  it('refuses an artifact for another owner on a job that has artifacts', () => {
    expect(refusal(given(...registered), register({ kind: 'transcript', userId: 'user-2' })).code).toBe(
      'CONFLICT',
    );
  });
});
