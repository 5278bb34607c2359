import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { LocalBlobStore } from '@scriptripper/blob-store';
import {
  ANALYZE_TRANSCRIPT,
  ArtifactsRpc,
  JobsRpc,
  Streams,
  type AnalyzeTranscriptWork,
  type MarkJobCompletedRequest,
  type MarkJobFailedRequest,
  type RegisterArtifactRequest,
} from '@scriptripper/contracts';
import { createEnvelope, StreamPublisher } from '@scriptripper/streams';
import { deleteKeysWithPrefix, FakeLlmServer, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { MEETING_PROFILE } from '../../test-support/meeting-profile.fixture';
import { startPeers, type RunningPeers } from '../../test-support/peers.fixture';
import { SHORT_MEETING_VTT } from '../../test-support/short-meeting';
import { startWorkerTestApp } from '../../test-support/worker-test-app';

const redisUrl = testRedisUrl();
const keyPrefix = testKeyPrefix('worker-llm');
const owner = { id: 'user-ana', role: 'user' as const, scopes: ['jobs:write'] };

let blobRoot: string;
let blobs: LocalBlobStore;
let peers: RunningPeers;
let fake: FakeLlmServer;
let worker: INestApplication;
let publisher: StreamPublisher;

beforeAll(async () => {
  blobRoot = await mkdtemp(join(tmpdir(), 'worker-llm-blobs-'));
  blobs = new LocalBlobStore(blobRoot);
  fake = await FakeLlmServer.start();
  peers = await startPeers(redisUrl, keyPrefix);
  peers.state.profiles.set('meeting@1', MEETING_PROFILE);
  worker = await startWorkerTestApp({
    redisUrl,
    keyPrefix,
    blobRoot,
    env: {
      ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini,anthropic:claude-3-5-haiku-latest',
      OPENAI_API_KEY: 'sk-test-openai',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      OPENAI_BASE_URL: fake.baseUrl('openai'),
      ANTHROPIC_BASE_URL: fake.baseUrl('anthropic'),
      LLM_MAX_RETRIES: '0',
    },
  });
  publisher = new StreamPublisher({ redisUrl, keyPrefix, connectionName: 'worker-llm-test-publisher' });
});

afterAll(async () => {
  await publisher?.close();
  await worker?.close();
  await peers?.close();
  await fake?.close();
  await deleteKeysWithPrefix(redisUrl, keyPrefix);
  if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
});

beforeEach(() => fake.reset());

async function submit(): Promise<AnalyzeTranscriptWork> {
  const work: AnalyzeTranscriptWork = {
    job_id: randomUUID(),
    user_id: owner.id,
    attempt: 1,
    input: await blobs.put(Buffer.from(SHORT_MEETING_VTT)),
    format: null,
    filename: 'short-meeting.vtt',
    meeting_date: '2026-03-02',
    profile: { key: 'meeting', version: 1 },
  };
  await publisher.publish(
    Streams.analysisWork,
    createEnvelope(ANALYZE_TRANSCRIPT, work, { actor: owner, correlationId: randomUUID() }),
  );
  return work;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function resultsOf(jobId: string): Promise<Record<string, unknown>> {
  const artifact = peers.state
    .callsOf<RegisterArtifactRequest>(ArtifactsRpc.register, jobId)
    .find((call) => call.data.kind === 'results_json');
  if (!artifact) throw new Error('no results.json registered');
  return JSON.parse((await blobs.get(artifact.data.blob.uri)).toString('utf8')) as Record<string, unknown>;
}

describe('the worker with an LLM provider chain', () => {
  it('completes a job through the fallback provider, reporting tokens, cost, provider and dropped items', async () => {
    fake.script('openai', { fixture: 'openai-429', status: 429 });
    fake.script('anthropic', { fixture: 'anthropic-meeting-made-up-quote' });

    const work = await submit();
    await waitFor(() => peers.state.finishedJobs.has(work.job_id), 'the job to complete');

    const [completion] = peers.state.callsOf<MarkJobCompletedRequest>(JobsRpc.markCompleted, work.job_id);
    expect(completion?.data.metrics).toEqual({
      duration_ms: expect.any(Number),
      words: expect.any(Number),
      segments: 6,
      speakers: 3,
      tokens: 2_310,
      input_tokens: 1_350,
      output_tokens: 960,
      provider: 'anthropic',
      model: 'claude-3-5-haiku-latest',
      dropped_items: 1,
    });
    // 1,350 x $0.80/1M + 960 x $4/1M
    expect(completion?.data.cost).toBeCloseTo(0.00492, 9);

    const results = await resultsOf(work.job_id);
    expect(results['provider']).toEqual({ name: 'anthropic', model: 'claude-3-5-haiku-latest' });
    expect(JSON.stringify(results)).not.toContain('May 1');
    expect((results['decisions'] as unknown[]).length).toBe(1);
  });

  it('fails the job, non-retryable, when every provider refuses', async () => {
    fake.script('openai', { fixture: 'openai-401', status: 401 });
    fake.script('anthropic', { fixture: 'anthropic-401', status: 401 });

    const work = await submit();
    await waitFor(() => peers.state.finishedJobs.has(work.job_id), 'the job to fail');

    const [failure] = peers.state.callsOf<MarkJobFailedRequest>(JobsRpc.markFailed, work.job_id);
    expect(failure?.data.error).toMatchObject({ code: 'LLM_PROVIDERS_FAILED', retryable: false });
    expect(failure?.data.error.message).toContain('openai:gpt-4o-mini answered 401');
    expect(failure?.data.error.message).not.toContain('sk-test-openai');
  });
});
