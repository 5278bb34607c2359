import type { ArtifactEvent } from '../artifact/artifact.events';
import {
  decide,
  decideErasure,
  decideExpiry,
  evolve,
  initialJobArtifactsState,
  type JobArtifactsState,
  type RegisterArtifact,
} from '../artifact/artifact.aggregate';
import { expiryCutoffs, isDue } from './retention-policy';

const DAY_MS = 86_400_000;
const policy = { transcriptDays: 30, outputDays: 180 };
const now = new Date('2026-06-30T12:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

describe('which artifacts are due to expire', () => {
  it('expires the upload and the normalised transcript after the transcript days', () => {
    expect(isDue('upload', daysAgo(30.01), policy, now)).toBe(true);
    expect(isDue('transcript', daysAgo(30.01), policy, now)).toBe(true);
    expect(isDue('transcript', daysAgo(29.99), policy, now)).toBe(false);
  });

  it('keeps results, exports and prompt answers for the output days', () => {
    for (const kind of ['results_json', 'results_md', 'export_zip', 'prompt:p1'] as const) {
      expect(isDue(kind, daysAgo(179), policy, now)).toBe(false);
      expect(isDue(kind, daysAgo(181), policy, now)).toBe(true);
    }
  });

  it('takes fractions of a day, and 0 days expires at once', () => {
    expect(expiryCutoffs({ transcriptDays: 0.5, outputDays: 0 }, now)).toEqual({
      transcript: new Date(now.getTime() - DAY_MS / 2),
      output: now,
    });
  });
});

describe("a job's artifacts over their lifecycle", () => {
  const sha = (char: string) => char.repeat(64);
  const register = (kind: RegisterArtifact['kind'], char: string): RegisterArtifact => ({
    type: 'RegisterArtifact',
    artifactId: `a-${kind}`,
    jobId: 'job-1',
    userId: 'user-1',
    kind,
    blob: { uri: `blob://sha256/${sha(char)}`, sha256: sha(char), size: 3 },
    contentType: 'text/plain',
    filename: `${kind}.txt`,
  });
  const given = (...events: ArtifactEvent[]): JobArtifactsState =>
    events.reduce(evolve, initialJobArtifactsState);
  const registered = [
    ...decide(initialJobArtifactsState, register('transcript', 'a')),
    ...decide(
      given(...decide(initialJobArtifactsState, register('transcript', 'a'))),
      register('results_md', 'b'),
    ),
  ];
  const expire = {
    type: 'ExpireArtifact',
    jobId: 'job-1',
    kind: 'transcript',
    retention: 'transcript',
    at: now.toISOString(),
  } as const;
  const erase = {
    type: 'EraseJobArtifacts',
    jobId: 'job-1',
    reason: 'job-deleted',
    at: now.toISOString(),
  } as const;

  it('expires an artifact once', () => {
    const expired = decideExpiry(given(...registered), expire);
    expect(expired).toEqual([
      {
        type: 'ArtifactExpired',
        data: {
          artifact_id: 'a-transcript',
          job_id: 'job-1',
          user_id: 'user-1',
          kind: 'transcript',
          retention: 'transcript',
          at: now.toISOString(),
        },
      },
    ]);
    expect(decideExpiry(given(...registered, ...expired), expire)).toEqual([]);
  });

  it('records nothing for a kind the job does not have', () => {
    expect(decideExpiry(given(...registered), { ...expire, kind: 'results_json' })).toEqual([]);
  });

  it('deletes every artifact, expired ones too, then closes the stream; erasing again records nothing', () => {
    const expired = decideExpiry(given(...registered), expire);
    const erased = decideErasure(given(...registered, ...expired), erase);
    expect(erased.map((event) => [event.type, 'kind' in event.data ? event.data.kind : null])).toEqual([
      ['ArtifactDeleted', 'transcript'],
      ['ArtifactDeleted', 'results_md'],
      ['JobArtifactsErased', null],
    ]);
    expect(decideErasure(given(...registered, ...expired, ...erased), erase)).toEqual([]);
  });

  it('closes the stream of a job without artifacts, so a late registration is refused', () => {
    const erased = decideErasure(initialJobArtifactsState, erase);
    expect(erased.map((event) => event.type)).toEqual(['JobArtifactsErased']);
    expect(() => decide(given(...erased), register('results_md', 'c'))).toThrow('were deleted');
    expect(decideExpiry(given(...registered, ...decideErasure(given(...registered), erase)), expire)).toEqual(
      [],
    );
  });
});
