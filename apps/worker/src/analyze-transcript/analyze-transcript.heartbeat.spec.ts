import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobRef, BlobStore } from '@scriptripper/blob-store';
import { loadConfig } from '@scriptripper/config';
import {
  ArtifactsRpc,
  ErrorCodes,
  JobsRpc,
  ProfilesRpc,
  type AnalyzeTranscriptWork,
  type MessageEnvelope,
  type RegisterArtifactRequest,
} from '@scriptripper/contracts';
import { RpcRemoteError, TransportUnavailableError } from '@scriptripper/streams';
import type { AnalysisProvider, AnalysisRequest } from '../analysis/analysis-provider';
import { OfflineAnalysisProvider } from '../analysis/offline-analysis.provider';
import { WorkerConfig } from '../config';
import type { PeerClient } from '../peers/peer-client';
import { OutputSchemaValidator } from '../results/output-schema.validator';
import { MEETING_PROFILE } from '../test-support/meeting-profile.fixture';
import { AnalyzeTranscriptHandler } from './analyze-transcript.handler';

const HEARTBEAT_MS = 1_000;

/** Blobs in memory, named by their sha256 as the real store names them. */
class MemoryBlobs implements Partial<BlobStore> {
  private readonly contents = new Map<string, Buffer>();
  put(content: Buffer): Promise<BlobRef> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const uri = `blob://sha256/${sha256}`;
    this.contents.set(uri, content);
    return Promise.resolve({ uri, sha256, size: content.length } as BlobRef);
  }
  get(uri: string): Promise<Buffer> {
    const content = this.contents.get(uri);
    return content ? Promise.resolve(content) : Promise.reject(new Error(`no blob ${uri}`));
  }
}

/** The offline analysis, held until the test lets it answer: an LLM chain taking its time. */
class SlowProvider implements AnalysisProvider {
  readonly name = 'slow';
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));

  async analyze(request: AnalysisRequest) {
    await this.released;
    return new OfflineAnalysisProvider().analyze(request);
  }

  answer(): void {
    this.release();
  }
}

/** Stand-ins for jobs, profiles and artifacts; jobs' heartbeat answers as `onHeartbeat` says. */
function peersOf(onHeartbeat: (count: number) => unknown = () => ({ status: 'running' })) {
  const calls: { pattern: string; data: Record<string, unknown> }[] = [];
  let heartbeats = 0;
  const beaten: (() => void)[] = [];
  const peers = {
    call(pattern: string, data: Record<string, unknown>) {
      calls.push({ pattern, data });
      if (pattern === JobsRpc.heartbeat) {
        heartbeats += 1;
        beaten.splice(0).forEach((notify) => notify());
        try {
          return Promise.resolve(onHeartbeat(heartbeats));
        } catch (error) {
          return Promise.reject(error as Error);
        }
      }
      if (pattern === ProfilesRpc.resolve) return Promise.resolve(MEETING_PROFILE);
      if (pattern === ArtifactsRpc.register) {
        const request = data as unknown as RegisterArtifactRequest;
        return Promise.resolve({
          id: `artifact-${request.kind}`,
          job_id: request.job_id,
          kind: request.kind,
        });
      }
      return Promise.resolve({});
    },
  };
  return {
    peers: peers as unknown as PeerClient,
    calls,
    heartbeatCount: () => heartbeats,
    /** Resolves with the next heartbeat jobs gets. */
    nextHeartbeat: () => new Promise<void>((resolve) => beaten.push(resolve)),
  };
}

async function setUp(onHeartbeat?: (count: number) => unknown) {
  const blobs = new MemoryBlobs();
  const input = await blobs.put(readFileSync(join(__dirname, '../test-support/planning-call.vtt')));
  const work: AnalyzeTranscriptWork = {
    job_id: randomUUID(),
    user_id: randomUUID(),
    attempt: 3,
    input: { uri: input.uri, sha256: input.sha256, size: input.size },
    format: null,
    filename: 'planning-call.vtt',
    meeting_date: null,
    profile: { key: MEETING_PROFILE.key, version: MEETING_PROFILE.version },
  };
  const envelope = {
    id: randomUUID(),
    correlationId: randomUUID(),
    traceparent: null,
  } as unknown as MessageEnvelope;
  const jobs = peersOf(onHeartbeat);
  const provider = new SlowProvider();
  const config = Object.assign(new WorkerConfig(), { JOB_HEARTBEAT_MS: HEARTBEAT_MS });
  const handler = new AnalyzeTranscriptHandler(
    jobs.peers,
    blobs as unknown as BlobStore,
    provider,
    new OutputSchemaValidator(),
    config,
  );
  return { ...jobs, work, provider, handle: () => handler.handle(work, envelope) };
}

/** Long enough for several heartbeats to have been due, had they not stopped. */
const severalBeats = () => new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS * 2.5));

describe('the worker heartbeat while a job is analysed', () => {
  it('tells jobs the attempt is alive while the provider is slow, and nothing after the completion', async () => {
    const { calls, work, provider, handle, heartbeatCount, nextHeartbeat } = await setUp();
    const beat = nextHeartbeat();
    const outcome = handle();
    await beat;
    provider.answer();
    expect(await outcome).toBe('completed');

    const patterns = calls.map((call) => call.pattern);
    const completedAt = patterns.indexOf(JobsRpc.markCompleted);
    const heartbeats = calls.filter((call) => call.pattern === JobsRpc.heartbeat);
    expect(heartbeats.length).toBeGreaterThanOrEqual(1);
    for (const heartbeat of heartbeats) {
      expect(heartbeat.data).toEqual({ job_id: work.job_id, attempt: 3 });
    }
    expect(patterns.indexOf(JobsRpc.markStarted)).toBeLessThan(patterns.indexOf(JobsRpc.heartbeat));
    expect(patterns.lastIndexOf(JobsRpc.heartbeat)).toBeLessThan(completedAt);

    const sent = heartbeatCount();
    await severalBeats();
    expect(heartbeatCount()).toBe(sent);
  }, 20_000);

  it('goes on after a failed heartbeat, and stops once jobs refuses one', async () => {
    const { provider, handle, heartbeatCount, nextHeartbeat } = await setUp((count) => {
      if (count === 1) throw new TransportUnavailableError('jobs is restarting');
      throw new RpcRemoteError({ code: ErrorCodes.conflict, message: 'a newer attempt', retryable: false });
    });
    const first = nextHeartbeat();
    const outcome = handle();
    await first;
    await nextHeartbeat();
    await severalBeats();
    expect(heartbeatCount()).toBe(2);
    provider.answer();
    expect(await outcome).toBe('completed');
    expect(heartbeatCount()).toBe(2);
  }, 20_000);

  it('stops the heartbeat when the analysis throws (the message is retried later)', async () => {
    const { calls, provider, handle, heartbeatCount, nextHeartbeat, work } = await setUp();
    provider.analyze = () => nextHeartbeat().then(() => Promise.reject(new Error('unexpected')));
    await expect(handle()).rejects.toThrow('unexpected');
    const sent = heartbeatCount();
    expect(sent).toBeGreaterThanOrEqual(1);
    await severalBeats();
    expect(heartbeatCount()).toBe(sent);
    expect(
      calls
        .filter((call) => call.pattern === JobsRpc.heartbeat)
        .every((call) => call.data['job_id'] === work.job_id),
    ).toBe(true);
  }, 20_000);
});

describe('JOB_HEARTBEAT_MS', () => {
  const env = { REDIS_URL: 'redis://localhost:6379', BLOB_ROOT: '/tmp/blobs' };

  it('is 30 seconds unless set', () => {
    expect(loadConfig(WorkerConfig, env).JOB_HEARTBEAT_MS).toBe(30_000);
  });

  it('refuses less than a second', () => {
    expect(() => loadConfig(WorkerConfig, { ...env, JOB_HEARTBEAT_MS: '999' })).toThrow(/JOB_HEARTBEAT_MS/);
    expect(loadConfig(WorkerConfig, { ...env, JOB_HEARTBEAT_MS: '1000' }).JOB_HEARTBEAT_MS).toBe(1_000);
  });
});
