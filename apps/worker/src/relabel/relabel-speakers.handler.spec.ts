import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTranscript } from '@scriptripper/analysis';
import type { BlobRef, BlobStore } from '@scriptripper/blob-store';
import {
  ARTIFACTS_REVISE,
  ArtifactsRpc,
  JobControlRpc,
  ProfilesRpc,
  type ArtifactKind,
  type ArtifactView,
  type MessageEnvelope,
  type RegisterArtifactRequest,
  type RelabelSpeakersWork,
} from '@scriptripper/contracts';
import { OfflineAnalysisProvider } from '../analysis/offline-analysis.provider';
import type { PeerClient } from '../peers/peer-client';
import { canonicalJson } from '../results/canonical-json';
import { renderMarkdown } from '../results/markdown-renderer';
import { MEETING_PROFILE } from '../test-support/meeting-profile.fixture';
import { RelabelSpeakersHandler } from './relabel-speakers.handler';

/** Blobs in memory, named by their sha256 as the real store names them. */
class MemoryBlobs implements Partial<BlobStore> {
  readonly contents = new Map<string, Buffer>();
  put(content: Buffer): Promise<BlobRef> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const uri = `blob://sha256/${sha256}`;
    this.contents.set(uri, content);
    return Promise.resolve({ uri, sha256, size: content.length } as BlobRef);
  }
  get(id: string): Promise<Buffer> {
    const content = this.contents.get(id);
    return content ? Promise.resolve(content) : Promise.reject(new Error(`no blob ${id}`));
  }
}

const jobId = randomUUID();
const userId = randomUUID();
const work: RelabelSpeakersWork = {
  relabel_id: randomUUID(),
  job_id: jobId,
  user_id: userId,
  profile: { key: MEETING_PROFILE.key, version: MEETING_PROFILE.version },
};
const envelope = {
  id: randomUUID(),
  correlationId: randomUUID(),
  traceparent: null,
} as unknown as MessageEnvelope;
const rename = { 'Ana Lima': 'Ana', 'Carla Diaz': 'Ana' };

/** A job's three outputs as the analysis stored them, and stand-ins for jobs, profiles and artifacts. */
async function setUp(renames: Readonly<Record<string, string>> = rename) {
  const blobs = new MemoryBlobs();
  const transcript = parseTranscript(
    readFileSync(join(__dirname, '../test-support/planning-call.vtt'), 'utf8'),
  );
  const { output } = await new OfflineAnalysisProvider().analyze({
    transcript,
    profile: MEETING_PROFILE,
    meetingDate: '2026-03-02',
  });
  const artifacts = new Map<ArtifactKind, ArtifactView>();
  const store = async (kind: ArtifactKind, filename: string, content: string) => {
    const blob = await blobs.put(Buffer.from(content));
    artifacts.set(kind, {
      id: randomUUID(),
      job_id: jobId,
      kind,
      uri: blob.uri,
      checksum: blob.sha256,
      size: blob.size,
      content_type: filename.endsWith('.md') ? 'text/markdown; charset=utf-8' : 'application/json',
      filename,
      created_at: new Date().toISOString(),
    });
  };
  await store('transcript', 'transcript.json', canonicalJson(transcript));
  await store('results_json', 'results.json', canonicalJson(output));
  await store('results_md', 'results.md', renderMarkdown(MEETING_PROFILE.template, output));

  const calls: { pattern: string; data: unknown }[] = [];
  const peers = {
    call: (pattern: string, data: unknown) => {
      calls.push({ pattern, data });
      switch (pattern) {
        case JobControlRpc.getRelabel:
          return Promise.resolve({ id: work.relabel_id, job_id: jobId, rename: renames, status: 'pending' });
        case ArtifactsRpc.listForJob:
          return Promise.resolve([...artifacts.values()]);
        case ProfilesRpc.resolve:
          return Promise.resolve(MEETING_PROFILE);
        case ARTIFACTS_REVISE: {
          const request = data as RegisterArtifactRequest;
          const current = artifacts.get(request.kind);
          if (!current) return Promise.reject(new Error('not registered'));
          const revised = {
            ...current,
            uri: request.blob.uri,
            checksum: request.blob.sha256,
            size: request.blob.size,
          };
          artifacts.set(request.kind, revised);
          return Promise.resolve(revised);
        }
        default:
          return Promise.resolve({});
      }
    },
  } as unknown as PeerClient;
  const handler = new RelabelSpeakersHandler(peers, blobs as unknown as BlobStore);
  return { handler, calls, artifacts, blobs };
}

describe('the relabel-speakers handler', () => {
  it('revises the three outputs under their ids with the new names, merged, and reports them', async () => {
    const { handler, calls, artifacts, blobs } = await setUp();
    const ids = [...artifacts.values()].map((artifact) => artifact.id);
    expect(await handler.handle(work, envelope)).toBe('applied');

    const revised = calls.filter((call) => call.pattern === ARTIFACTS_REVISE).map((call) => call.data);
    expect(revised.map((request) => (request as RegisterArtifactRequest).kind)).toEqual([
      'transcript',
      'results_json',
      'results_md',
    ]);
    const text = async (kind: ArtifactKind) =>
      (await blobs.get(artifacts.get(kind)?.uri ?? '')).toString('utf8');
    const markdown = await text('results_md');
    expect(markdown).toContain('Ana');
    expect(markdown).not.toContain('Ana Lima');
    expect(markdown).not.toContain('Carla Diaz');
    const results = JSON.parse(await text('results_json')) as { speaker_statistics: { speaker: string }[] };
    expect(results.speaker_statistics.map((row) => row.speaker).sort()).toEqual(['Ana', 'Bob Chen']);
    const applied = calls.find((call) => call.pattern === JobControlRpc.relabelApplied);
    expect(applied?.data).toEqual({ job_id: jobId, relabel_id: work.relabel_id, artifact_ids: ids });
  });

  it('gives the same bytes when the same message runs again (a redelivery)', async () => {
    const { handler, artifacts } = await setUp();
    await handler.handle(work, envelope);
    const once = [...artifacts.values()].map((artifact) => artifact.checksum);
    await handler.handle(work, envelope);
    expect([...artifacts.values()].map((artifact) => artifact.checksum)).toEqual(once);
  });

  it('refuses a label no speaker has, naming the speakers there are, and changes nothing', async () => {
    const { handler, calls } = await setUp({ Nobody: 'Zed' });
    expect(await handler.handle(work, envelope)).toBe('failed');
    const failed = calls.find((call) => call.pattern === JobControlRpc.relabelFailed);
    expect(failed?.data).toMatchObject({
      relabel_id: work.relabel_id,
      error: { code: 'UNKNOWN_SPEAKER', retryable: false, message: expect.stringContaining('"Bob Chen"') },
    });
    expect(calls.some((call) => call.pattern === ARTIFACTS_REVISE)).toBe(false);
  });

  it('reports a job whose outputs are gone as failed, not retried', async () => {
    const { handler, calls, artifacts } = await setUp();
    artifacts.delete('results_json');
    expect(await handler.handle(work, envelope)).toBe('failed');
    const failed = calls.find((call) => call.pattern === JobControlRpc.relabelFailed);
    expect(failed?.data).toMatchObject({
      relabel_id: work.relabel_id,
      error: { code: 'OUTPUTS_UNAVAILABLE', retryable: false },
    });
    expect(calls.some((call) => call.pattern === ARTIFACTS_REVISE)).toBe(false);
  });
});
