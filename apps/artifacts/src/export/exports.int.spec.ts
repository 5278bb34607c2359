import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  JOB_DELETED,
  ArtifactsRpc,
  BUILD_EXPORT,
  ErrorCodes,
  ExportsRpc,
  serviceActor,
  type Actor,
  type ArtifactView,
  type BuildExportWork,
  type ExportView,
  type MessageEnvelope,
  type RegisterArtifactRequest,
  type RequestExportResponse,
} from '@scriptripper/contracts';
import { LocalBlobStore } from '@scriptripper/blob-store';
import { createEnvelope, StreamPublisher } from '@scriptripper/streams';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { startArtifactsTestApp, type ArtifactsTestApp } from '../test-support/artifacts-test-app';

const scopes = ['jobs:read', 'jobs:write'];
const owner: Actor = { id: randomUUID(), role: 'user', scopes };
const stranger: Actor = { id: randomUUID(), role: 'user', scopes };
const worker = serviceActor('worker');

describe('exports over rpc:artifacts', () => {
  let database: TestDatabase;
  let blobRoot: string;
  let blobs: LocalBlobStore;
  let artifacts: ArtifactsTestApp;
  let redis: Redis;
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('exports');

  const refusal = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return error as { code?: string; message?: string };
    }
    throw new Error('the call was not refused');
  };
  const put = (text: string) => blobs.put(Buffer.from(text));
  /** A completed job's three outputs, registered as the worker does. */
  const completedJob = async (user: Actor = owner, kinds = ['transcript', 'results_json', 'results_md']) => {
    const jobId = randomUUID();
    for (const kind of kinds) {
      const request: RegisterArtifactRequest = {
        job_id: jobId,
        user_id: user.id,
        kind: kind as RegisterArtifactRequest['kind'],
        blob: await put(`${kind} of ${jobId}`),
        content_type: 'application/json',
        filename: `${kind}.json`,
      };
      await artifacts.call<ArtifactView>(ArtifactsRpc.register, request, worker);
    }
    return jobId;
  };
  const requestExport = (jobIds: string[], actor: Actor = owner, subject = jobIds[0]) =>
    artifacts.call<RequestExportResponse>(
      ExportsRpc.request,
      { subject_type: jobIds.length === 1 ? 'job' : 'batch', subject_id: subject, job_ids: jobIds },
      actor,
    );
  const getExport = (exportId: string, actor: Actor = owner) =>
    artifacts.call<ExportView>(ExportsRpc.get, { export_id: exportId }, actor);
  const workFor = async (exportId: string) => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const entries = await redis.xrange(`${keyPrefix}work:analysis`, '-', '+');
      const found = entries
        .map(([, fields]) => JSON.parse(fields[1] ?? '{}') as MessageEnvelope<BuildExportWork>)
        .find((envelope) => envelope.type === BUILD_EXPORT && envelope.data.export_id === exportId);
      if (found) return found;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    throw new Error(`no BuildExport message for export ${exportId}`);
  };

  beforeAll(async () => {
    database = await createTestDatabase('exports');
    blobRoot = await mkdtemp(join(tmpdir(), 'exports-blobs-'));
    blobs = new LocalBlobStore(blobRoot);
    redis = new Redis(redisUrl);
    artifacts = await startArtifactsTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      BLOB_ROOT: blobRoot,
      DOWNLOAD_SIGNING_KEY: randomBytes(32).toString('base64'),
    });
  }, 60_000);

  afterAll(async () => {
    await artifacts?.close();
    redis?.disconnect();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
    if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
  });

  it('migrates to exactly the schema the entities describe', () => {
    expect(artifacts.driftAfterMigrations).toBe('');
  });

  it("records a pending export and sends the worker a BuildExport with each job's output blobs", async () => {
    const first = await completedJob();
    const second = await completedJob(owner, ['results_json', 'results_md']);
    const batchId = randomUUID();

    const { export_id } = await requestExport([first, second], owner, batchId);

    expect(await getExport(export_id)).toMatchObject({
      id: export_id,
      subject_type: 'batch',
      subject_id: batchId,
      status: 'pending',
      artifacts: [],
      error: null,
      completed_at: null,
    });
    const work = await workFor(export_id);
    expect(work.actor.id).toBe(owner.id);
    expect(work.data.jobs.map((job) => job.job_id)).toEqual([first, second]);
    expect(work.data.jobs[0]?.transcript?.uri).toMatch(/^blob:\/\/sha256\//);
    expect(work.data.jobs[1]?.transcript).toBeNull();
    expect(work.data.jobs[1]?.results_md).not.toBeNull();
  });

  it('leaves an expired transcript out of the work, and answers GONE once the results expired', async () => {
    const jobId = await completedJob();
    const expire = (kind: string) =>
      artifacts.app
        .get(EntityManager)
        .getConnection()
        .execute(`update "artifacts"."artifacts" set expired_at = now() where job_id = ? and kind = ?`, [
          jobId,
          kind,
        ]);

    await expire('transcript');
    const { export_id } = await requestExport([jobId]);
    const work = await workFor(export_id);
    expect(work.data.jobs[0]).toMatchObject({ job_id: jobId, transcript: null });
    expect(work.data.jobs[0]?.results_json).not.toBeNull();

    await expire('results_json');
    expect((await refusal(requestExport([jobId]))).code).toBe(ErrorCodes.gone);
  });

  it('completes with the built files as artifacts of the export; a retried completion changes nothing', async () => {
    const jobId = await completedJob();
    const { export_id } = await requestExport([jobId]);
    const outputs = [
      {
        kind: 'export_zip',
        blob: await put(`zip of ${jobId}`),
        content_type: 'application/zip',
        filename: 'export.zip',
      },
      {
        kind: 'export_json',
        blob: await put(`json of ${jobId}`),
        content_type: 'application/json',
        filename: 'export.json',
      },
    ];

    await artifacts.call(ExportsRpc.complete, { export_id, outputs }, worker);
    await artifacts.call(ExportsRpc.complete, { export_id, outputs }, worker);

    const view = await getExport(export_id);
    expect(view.status).toBe('completed');
    expect(view.completed_at).not.toBeNull();
    expect(view.artifacts.map((artifact) => [artifact.kind, artifact.job_id, artifact.checksum])).toEqual([
      ['export_zip', export_id, outputs[0]?.blob.sha256],
      ['export_json', export_id, outputs[1]?.blob.sha256],
    ]);
    const signed = await artifacts.call<{ url: string }>(
      ArtifactsRpc.sign,
      { artifact_id: view.artifacts[0]?.id },
      owner,
    );
    expect(signed.url).toContain(`/downloads/${view.artifacts[0]?.id}`);
    expect((await refusal(artifacts.call(ExportsRpc.fail, failure(export_id), worker))).code).toBe(
      ErrorCodes.conflict,
    );
  });

  it('answers the same export for the same Idempotency-Key and subject, CONFLICT for another subject', async () => {
    const jobId = await completedJob();
    const ask = (key: string, subject = jobId) =>
      artifacts.call<RequestExportResponse>(
        ExportsRpc.request,
        { subject_type: 'job', subject_id: subject, job_ids: [subject], idempotency_key: key },
        owner,
      );

    const first = await ask('export-once');
    const again = await ask('export-once');
    expect(again).toEqual({ export_id: first.export_id, replayed: true });
    expect(first.replayed).toBe(false);
    expect((await refusal(ask('export-once', await completedJob()))).code).toBe(ErrorCodes.conflict);
    expect((await ask('export-twice')).export_id).not.toBe(first.export_id);
  });

  it("deletes an export's files when a job it holds is deleted", async () => {
    const deleted = await completedJob();
    const kept = await completedJob();
    const { export_id } = await requestExport([deleted, kept], owner, randomUUID());
    const { export_id: other } = await requestExport([kept]);
    for (const id of [export_id, other]) {
      const outputs = [
        {
          kind: 'export_zip',
          blob: await put(`zip ${id}`),
          content_type: 'application/zip',
          filename: 'export.zip',
        },
      ];
      await artifacts.call(ExportsRpc.complete, { export_id: id, outputs }, worker);
    }
    expect((await getExport(export_id)).artifacts).toHaveLength(1);

    const publisher = new StreamPublisher({ redisUrl, keyPrefix, connectionName: 'exports-test-publisher' });
    try {
      await publisher.publish(
        'events:jobs',
        createEnvelope(
          JOB_DELETED,
          { job_id: deleted, user_id: owner.id, at: new Date().toISOString() },
          {
            actor: serviceActor('jobs'),
            correlationId: randomUUID(),
            causationId: null,
            traceparent: null,
          },
        ),
      );
    } finally {
      await publisher.close();
    }

    const deadline = Date.now() + 30_000;
    while ((await getExport(export_id)).artifacts.length > 0) {
      if (Date.now() > deadline) throw new Error('the export of a deleted job kept its files');
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    expect((await getExport(other)).artifacts).toHaveLength(1);
  });

  it('records a failure with its error', async () => {
    const { export_id } = await requestExport([await completedJob()]);
    await artifacts.call(ExportsRpc.fail, failure(export_id), worker);

    expect(await getExport(export_id)).toMatchObject({
      status: 'failed',
      error: { code: 'EXPORT_BUILD_FAILED', message: 'the results blob is corrupt', retryable: false },
    });
  });

  it("refuses another user's job or export as NOT_FOUND, a job without results as CONFLICT, and bad input", async () => {
    const jobId = await completedJob();
    const { export_id } = await requestExport([jobId]);

    expect((await refusal(requestExport([jobId], stranger))).code).toBe(ErrorCodes.notFound);
    expect((await refusal(requestExport([randomUUID()]))).code).toBe(ErrorCodes.notFound);
    expect((await refusal(getExport(export_id, stranger))).code).toBe(ErrorCodes.notFound);
    const transcriptOnly = await completedJob(owner, ['transcript']);
    expect((await refusal(requestExport([transcriptOnly]))).code).toBe(ErrorCodes.conflict);
    expect((await refusal(requestExport([]))).code).toBe(ErrorCodes.validationFailed);
    expect((await refusal(requestExport([jobId, jobId]))).code).toBe(ErrorCodes.validationFailed);
    expect((await refusal(artifacts.call(ExportsRpc.complete, { export_id, outputs: [] }, owner))).code).toBe(
      ErrorCodes.forbidden,
    );
    expect(
      (await refusal(artifacts.call(ExportsRpc.complete, { export_id, outputs: [] }, worker))).code,
    ).toBe(ErrorCodes.validationFailed);
  });
});

function failure(exportId: string) {
  return {
    export_id: exportId,
    error: { code: 'EXPORT_BUILD_FAILED', message: 'the results blob is corrupt', retryable: false },
  };
}
