import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { LocalBlobStore } from '@scriptripper/blob-store';
import {
  ANALYZE_TRANSCRIPT,
  ArtifactsRpc,
  JobsRpc,
  ProfilesRpc,
  Streams,
  type AnalyzeTranscriptWork,
  type MarkJobCompletedRequest,
  type MarkJobFailedRequest,
  type RegisterArtifactRequest,
} from '@scriptripper/contracts';
import { createEnvelope, StreamPublisher, type MessageContext } from '@scriptripper/streams';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { MEETING_PROFILE } from './test-support/meeting-profile.fixture';
import { startPeers, type RunningPeers } from './test-support/peers.fixture';
import { startWorkerTestApp } from './test-support/worker-test-app';

const redisUrl = testRedisUrl();
const keyPrefix = testKeyPrefix('worker');
const owner = { id: 'user-ana', role: 'user' as const, scopes: ['jobs:write'] };

let blobRoot: string;
let blobs: LocalBlobStore;
let peers: RunningPeers;
let worker: INestApplication;
let publisher: StreamPublisher;
let planningCall: Buffer;

beforeAll(async () => {
  blobRoot = await mkdtemp(join(tmpdir(), 'worker-blobs-'));
  blobs = new LocalBlobStore(blobRoot);
  planningCall = await readFile(join(__dirname, 'test-support/planning-call.vtt'));
  peers = await startPeers(redisUrl, keyPrefix);
  peers.state.profiles.set('meeting@1', MEETING_PROFILE);
  worker = await startWorkerTestApp({ redisUrl, keyPrefix, blobRoot });
  publisher = new StreamPublisher({ redisUrl, keyPrefix, connectionName: 'worker-test-publisher' });
});

afterAll(async () => {
  await publisher?.close();
  await worker?.close();
  await peers?.close();
  await deleteKeysWithPrefix(redisUrl, keyPrefix);
  if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
});

/** Stores the transcript as the gateway would and publishes the work as jobs' outbox would. */
async function submit(
  transcript: Buffer,
  overrides: Partial<AnalyzeTranscriptWork> = {},
): Promise<{ work: AnalyzeTranscriptWork; envelopeId: string; correlationId: string }> {
  const input = await blobs.put(transcript);
  const work: AnalyzeTranscriptWork = {
    job_id: randomUUID(),
    user_id: owner.id,
    attempt: 1,
    input,
    format: null,
    filename: 'planning-call.vtt',
    meeting_date: '2026-03-02',
    profile: { key: 'meeting', version: 1 },
    ...overrides,
  };
  const context: MessageContext = { actor: owner, correlationId: randomUUID() };
  const envelope = createEnvelope(ANALYZE_TRANSCRIPT, work, context);
  await publisher.publish(Streams.analysisWork, envelope);
  return { work, envelopeId: envelope.id, correlationId: envelope.correlationId };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function finished(jobId: string): () => boolean {
  return () => peers.state.finishedJobs.has(jobId);
}

function registered(jobId: string) {
  return peers.state.callsOf<RegisterArtifactRequest>(ArtifactsRpc.register, jobId).map((call) => call.data);
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

describe('the worker on work:analysis', () => {
  it('analyses a multi-speaker VTT: reports start and completion, and registers three verified artifacts', async () => {
    const { work, envelopeId, correlationId } = await submit(planningCall);
    await waitFor(finished(work.job_id), 'the job to complete');

    const reports = peers.state.calls
      .filter((call) => (call.data as { job_id?: string }).job_id === work.job_id)
      .filter((call) => call.pattern.startsWith('jobs.'))
      .map((call) => call.pattern);
    expect(reports).toEqual([JobsRpc.markStarted, JobsRpc.markCompleted]);

    const everyCall = peers.state.calls.filter((call) => call.envelope.correlationId === correlationId);
    expect(everyCall.map((call) => call.pattern)).toContain(ProfilesRpc.resolve);
    for (const call of everyCall) {
      expect(call.envelope.actor).toEqual({ id: 'service:worker', role: 'service', scopes: [] });
      expect(call.envelope.causationId).toBe(envelopeId);
    }

    const [completion] = peers.state.callsOf<MarkJobCompletedRequest>(JobsRpc.markCompleted, work.job_id);
    expect(completion?.data).toEqual({
      job_id: work.job_id,
      attempt: 1,
      metrics: {
        duration_ms: expect.any(Number),
        words: expect.any(Number),
        segments: 13,
        speakers: 3,
        tokens: 0,
        input_tokens: 0,
        output_tokens: 0,
        provider: 'offline',
        model: null,
        dropped_items: 0,
      },
      cost: 0,
      artifact_ids: expect.any(Array),
    });
    expect(completion?.data.metrics.words).toBeGreaterThan(100);

    const artifacts = registered(work.job_id);
    expect(artifacts.map(({ kind, filename, content_type: type }) => [kind, filename, type])).toEqual([
      ['transcript', 'transcript.json', 'application/json'],
      ['results_json', 'results.json', 'application/json'],
      ['results_md', 'results.md', 'text/markdown; charset=utf-8'],
    ]);
    expect(completion?.data.artifact_ids).toEqual(
      artifacts.map((artifact) => peers.state.artifacts.get(`${work.job_id}/${artifact.kind}`)?.id),
    );
    for (const { blob } of artifacts) {
      const content = await blobs.get(blob.uri);
      expect({ sha256: sha256(content), size: content.length }).toEqual({
        sha256: blob.sha256,
        size: blob.size,
      });
    }
  });

  it('writes results.json valid against the meeting schema, every quote verbatim in the transcript', async () => {
    const { work } = await submit(planningCall);
    await waitFor(finished(work.job_id), 'the job to complete');
    const blobOf = async (kind: string) => {
      const artifact = registered(work.job_id).find((item) => item.kind === kind);
      if (!artifact) throw new Error(`no ${kind} artifact registered`);
      return (await blobs.get(artifact.blob.uri)).toString('utf8');
    };
    const transcript = JSON.parse(await blobOf('transcript')) as {
      segments: { id: string; text: string }[];
    };
    const results = JSON.parse(await blobOf('results_json')) as Record<
      string,
      { evidence?: { segment_id: string; quote: string }[] }[]
    >;

    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    const validate = ajv.compile(MEETING_PROFILE.output_schema);
    expect({ valid: validate(results), errors: validate.errors ?? null }).toEqual({
      valid: true,
      errors: null,
    });

    const segmentText = new Map(transcript.segments.map((segment) => [segment.id, segment.text]));
    const evidence = Object.values(results)
      .filter(Array.isArray)
      .flat()
      .flatMap((item) => item.evidence ?? []);
    expect(evidence.length).toBeGreaterThan(10);
    for (const { segment_id: segmentId, quote } of evidence)
      expect(segmentText.get(segmentId)).toContain(quote);

    const tasks = results['tasks'] as unknown as { owner: { name: string | null } }[];
    expect(tasks.map((task) => task.owner.name)).toContain('Bob Chen');
    const markdown = await blobOf('results_md');
    expect(markdown).toContain('# Meeting results');
    expect(markdown).toContain('\\*final\\* build to \\[the beta channel\\]');
    expect(markdown).not.toContain('&amp;');
  });

  it('gives byte-identical results for the same transcript and profile version', async () => {
    const [first, second] = await Promise.all([submit(planningCall), submit(planningCall)]);
    await waitFor(
      () => finished(first.work.job_id)() && finished(second.work.job_id)(),
      'both jobs to complete',
    );
    const checksums = (jobId: string) => registered(jobId).map((artifact) => artifact.blob.sha256);
    expect(checksums(first.work.job_id)).toEqual(checksums(second.work.job_id));
  });

  it('fails an unparseable transcript with the parser code, non-retryable, and registers nothing', async () => {
    const { work } = await submit(Buffer.from('WEBVTT\n\nthis cue has no timing at all\n'), {
      filename: 'broken.vtt',
    });
    await waitFor(finished(work.job_id), 'the job to fail');
    const failures = peers.state.callsOf<MarkJobFailedRequest>(JobsRpc.markFailed, work.job_id);
    expect(failures.map((call) => call.data.error)).toEqual([
      {
        code: expect.stringMatching(/^(EMPTY|UNPARSEABLE)_TRANSCRIPT$/),
        message: expect.any(String),
        retryable: false,
      },
    ]);
    expect(peers.state.callsOf(JobsRpc.markCompleted, work.job_id)).toEqual([]);
    expect(registered(work.job_id)).toEqual([]);
  });

  it('fails a job whose output does not satisfy its version schema with OUTPUT_SCHEMA_MISMATCH', async () => {
    peers.state.profiles.set('meeting@2', {
      ...MEETING_PROFILE,
      version: 2,
      output_schema: { type: 'object', required: ['sentiment'] },
    });
    const { work } = await submit(planningCall, { profile: { key: 'meeting', version: 2 } });
    await waitFor(finished(work.job_id), 'the job to fail');
    const [failure] = peers.state.callsOf<MarkJobFailedRequest>(JobsRpc.markFailed, work.job_id);
    expect(failure?.data.error).toEqual({
      code: 'OUTPUT_SCHEMA_MISMATCH',
      message: expect.stringContaining("must have required property 'sentiment'"),
      retryable: false,
    });
  });

  it('repeats a job harmlessly when its message comes again after the worker failed before reporting', async () => {
    const input = await blobs.put(planningCall);
    const jobId = randomUUID();
    peers.state.failNextCompletion.add(jobId);
    await submit(planningCall, { job_id: jobId, input });
    await waitFor(finished(jobId), 'the retried job to complete');

    expect(peers.state.callsOf(JobsRpc.markStarted, jobId)).toHaveLength(2);
    const completions = peers.state.callsOf<MarkJobCompletedRequest>(JobsRpc.markCompleted, jobId);
    expect(completions).toHaveLength(2);
    expect(completions[0]?.data.artifact_ids).toEqual(completions[1]?.data.artifact_ids);
    const registrations = registered(jobId);
    expect(registrations).toHaveLength(6);
    expect(registrations.slice(0, 3).map((item) => item.blob)).toEqual(
      registrations.slice(3).map((item) => item.blob),
    );
    expect([...peers.state.artifacts.keys()].filter((key) => key.startsWith(jobId))).toHaveLength(3);
  });

  it('acks a duplicate of a finished job after jobs refuses its start, doing nothing else', async () => {
    const { work } = await submit(planningCall);
    await waitFor(finished(work.job_id), 'the job to complete');
    const registrationsBefore = registered(work.job_id).length;

    await submit(planningCall, { job_id: work.job_id });
    await waitFor(
      () => peers.state.callsOf(JobsRpc.markStarted, work.job_id).length === 2,
      'the duplicate to start',
    );
    // A later job through the same worker finishing proves the duplicate was settled before it.
    const { work: later } = await submit(planningCall);
    await waitFor(finished(later.job_id), 'a later job to complete');
    expect(registered(work.job_id)).toHaveLength(registrationsBefore);
    expect(peers.state.callsOf(JobsRpc.markCompleted, work.job_id)).toHaveLength(1);
  });
});
