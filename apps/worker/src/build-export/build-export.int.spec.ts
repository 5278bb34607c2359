import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Module, type INestApplication, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import { unzipSync } from 'fflate';
import { Registry } from 'prom-client';
import { parseTranscript } from '@scriptripper/analysis';
import { LocalBlobStore } from '@scriptripper/blob-store';
import {
  BUILD_EXPORT,
  ExportsRpc,
  Streams,
  type BlobReference,
  type BuildExportWork,
  type CompleteExportRequest,
  type FailExportRequest,
  type MessageEnvelope,
} from '@scriptripper/contracts';
import {
  createEnvelope,
  RedisStreamsContext,
  RedisStreamsServer,
  StreamPublisher,
  StreamsExceptionFilter,
} from '@scriptripper/streams';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { startWorkerTestApp } from '../test-support/worker-test-app';
import { MANIFEST_PATH, sha256, type ExportManifest } from './export-bundle';

const redisUrl = testRedisUrl();
const keyPrefix = testKeyPrefix('build-export');
const owner = { id: randomUUID(), role: 'user' as const, scopes: ['jobs:write'] };
const VTT = `WEBVTT

00:00:01.000 --> 00:00:04.000
<v Ana Lima>We ship the beta on Friday &amp; tell support.

00:00:04.500 --> 00:00:09.000
<v Bob Chen>Agreed. I will write the release notes by Thursday.
`;

/** What the stand-in for the artifacts service got: each export's completion or failure. */
const got = new Map<string, { pattern: string; data: unknown; envelope: MessageEnvelope }>();

@Controller()
class ExportsPeerController {
  @MessagePattern(ExportsRpc.complete)
  complete(@Payload() data: CompleteExportRequest, @Ctx() context: RedisStreamsContext) {
    got.set(data.export_id, { pattern: ExportsRpc.complete, data, envelope: context.getEnvelope() });
    return { completed: true };
  }

  @MessagePattern(ExportsRpc.fail)
  fail(@Payload() data: FailExportRequest, @Ctx() context: RedisStreamsContext) {
    got.set(data.export_id, { pattern: ExportsRpc.fail, data, envelope: context.getEnvelope() });
    return { failed: true };
  }
}

@Module({ controllers: [ExportsPeerController] })
class ExportsPeerModule {}

let blobRoot: string;
let blobs: LocalBlobStore;
let worker: INestApplication;
let peer: INestMicroservice;
let publisher: StreamPublisher;

beforeAll(async () => {
  blobRoot = await mkdtemp(join(tmpdir(), 'build-export-blobs-'));
  blobs = new LocalBlobStore(blobRoot);
  peer = await NestFactory.createMicroservice<MicroserviceOptions>(ExportsPeerModule, {
    strategy: new RedisStreamsServer({
      redisUrl,
      keyPrefix,
      service: 'artifacts',
      streams: [],
      blockMs: 200,
      metricsRegistry: new Registry(),
    }),
    logger: false,
  });
  peer.useGlobalFilters(new StreamsExceptionFilter());
  await peer.listen();
  worker = await startWorkerTestApp({ redisUrl, keyPrefix, blobRoot });
  publisher = new StreamPublisher({ redisUrl, keyPrefix, connectionName: 'build-export-test-publisher' });
});

afterAll(async () => {
  await publisher?.close();
  await worker?.close();
  await peer?.close();
  await deleteKeysWithPrefix(redisUrl, keyPrefix);
  if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
});

const put = async (text: string): Promise<BlobReference> => {
  const blob = await blobs.put(Buffer.from(text, 'utf8'));
  return { uri: blob.uri, sha256: blob.sha256, size: blob.size };
};

/** A completed job's stored outputs, as the analysis left them. */
async function storedJob(jobId = randomUUID()) {
  return {
    job_id: jobId,
    results_md: await put(`# Results of ${jobId}\n`),
    results_json: await put(JSON.stringify({ summary: `about ${jobId}` })),
    transcript: await put(JSON.stringify(parseTranscript(VTT))),
  };
}

/** Publishes the work as the artifacts service's outbox would, and waits for the worker's answer. */
async function buildExport(work: Omit<BuildExportWork, 'export_id' | 'user_id'>) {
  const exportId = randomUUID();
  await publisher.publish(
    Streams.analysisWork,
    createEnvelope(
      BUILD_EXPORT,
      { export_id: exportId, user_id: owner.id, ...work },
      {
        actor: owner,
        correlationId: randomUUID(),
        causationId: null,
        traceparent: null,
      },
    ),
  );
  const deadline = Date.now() + 30_000;
  while (!got.has(exportId)) {
    if (Date.now() > deadline) throw new Error(`the worker did not answer export ${exportId}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  return {
    exportId,
    answer: got.get(exportId) as { pattern: string; data: unknown; envelope: MessageEnvelope },
  };
}

async function zipOf(completion: CompleteExportRequest) {
  const zip = completion.outputs.find((output) => output.kind === 'export_zip');
  if (!zip) throw new Error('no export_zip output');
  const bytes = await blobs.get(zip.blob.uri);
  expect(sha256(bytes)).toBe(zip.blob.sha256);
  const files = unzipSync(new Uint8Array(bytes));
  const manifest = JSON.parse(
    Buffer.from(files[MANIFEST_PATH] as Uint8Array).toString('utf8'),
  ) as ExportManifest;
  for (const entry of manifest.files) {
    const content = files[entry.path] as Uint8Array;
    expect({ path: entry.path, sha256: sha256(content), size: content.length }).toEqual(entry);
  }
  return { files, manifest, checksum: zip.blob.sha256 };
}

describe('the worker on BuildExport', () => {
  it('builds a job ZIP (results, transcript as Markdown and WebVTT, manifest) and a JSON export, then completes the export', async () => {
    const job = await storedJob();
    const { exportId, answer } = await buildExport({
      subject_type: 'job',
      subject_id: job.job_id,
      jobs: [job],
    });

    expect(answer.pattern).toBe(ExportsRpc.complete);
    expect(answer.envelope.actor.id).toBe('service:worker');
    const completion = answer.data as CompleteExportRequest;
    expect(completion.export_id).toBe(exportId);
    expect(completion.outputs.map((output) => [output.kind, output.filename])).toEqual([
      ['export_zip', `scriptripper-job-${job.job_id}.zip`],
      ['export_json', `scriptripper-job-${job.job_id}.json`],
    ]);
    const { files, manifest } = await zipOf(completion);
    expect(manifest.files.map((entry) => entry.path)).toEqual([
      'results.md',
      'results.json',
      'transcript.md',
      'transcript.vtt',
    ]);
    const vtt = Buffer.from(files['transcript.vtt'] as Uint8Array).toString('utf8');
    expect(parseTranscript(vtt).segments.map((segment) => [segment.speakerLabel, segment.text])).toEqual([
      ['Ana Lima', 'We ship the beta on Friday & tell support.'],
      ['Bob Chen', 'Agreed. I will write the release notes by Thursday.'],
    ]);
    expect(Buffer.from(files['transcript.md'] as Uint8Array).toString('utf8')).toContain(
      '**[00:00:01] Ana Lima:** We ship the beta on Friday &amp; tell support.',
    );
    const json = completion.outputs.find((output) => output.kind === 'export_json');
    const document = JSON.parse((await blobs.get(json?.blob.uri ?? '')).toString('utf8')) as {
      manifest: ExportManifest;
    };
    expect(document.manifest).toEqual(manifest);
  });

  it('builds byte-identical bundles for the same job in two exports', async () => {
    const job = await storedJob();
    const first = await buildExport({ subject_type: 'job', subject_id: job.job_id, jobs: [job] });
    const second = await buildExport({ subject_type: 'job', subject_id: job.job_id, jobs: [job] });

    const outputsOf = (answer: { data: unknown }) =>
      (answer.data as CompleteExportRequest).outputs.map((output) => output.blob.sha256);
    expect(outputsOf(second.answer)).toEqual(outputsOf(first.answer));
  });

  it('puts each job of a batch in its own folder and exports results alone where the transcript expired', async () => {
    const kept = await storedJob();
    const expired = { ...(await storedJob()), transcript: await put('') };
    await blobs.delete(expired.transcript.uri);
    const batchId = randomUUID();

    const { answer } = await buildExport({
      subject_type: 'batch',
      subject_id: batchId,
      jobs: [kept, expired],
    });

    expect(answer.pattern).toBe(ExportsRpc.complete);
    const { manifest } = await zipOf(answer.data as CompleteExportRequest);
    expect(manifest.subject).toEqual({ type: 'batch', id: batchId });
    expect(manifest.files.map((entry) => entry.path)).toEqual([
      `${kept.job_id}/results.md`,
      `${kept.job_id}/results.json`,
      `${kept.job_id}/transcript.md`,
      `${kept.job_id}/transcript.vtt`,
      `${expired.job_id}/results.md`,
      `${expired.job_id}/results.json`,
    ]);
  });

  it('fails the export, with a reason, when a job results are no longer stored', async () => {
    const job = { ...(await storedJob()), results_json: await put('gone soon') };
    await blobs.delete(job.results_json.uri);

    const { answer } = await buildExport({ subject_type: 'job', subject_id: job.job_id, jobs: [job] });

    expect(answer.pattern).toBe(ExportsRpc.fail);
    expect((answer.data as FailExportRequest).error).toEqual({
      code: 'EXPORT_BUILD_FAILED',
      message: `an output of job ${job.job_id} is no longer stored`,
      retryable: false,
    });
  });
});
