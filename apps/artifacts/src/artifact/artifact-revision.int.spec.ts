import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntityManager } from '@mikro-orm/postgresql';
import { LocalBlobStore, type BlobRef } from '@scriptripper/blob-store';
import {
  ARTIFACTS_REVISE,
  ArtifactsRpc,
  serviceActor,
  type Actor,
  type ArtifactView,
  type RegisterArtifactRequest,
  type ResolvedDownload,
  type SignedDownload,
} from '@scriptripper/contracts';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { startArtifactsTestApp, type ArtifactsTestApp } from '../test-support/artifacts-test-app';

const owner: Actor = { id: randomUUID(), role: 'user', scopes: ['jobs:read', 'jobs:write'] };
const worker = serviceActor('worker');
const gateway = serviceActor('gateway');

describe('revising an artifact over rpc:artifacts (relabelled outputs)', () => {
  let database: TestDatabase;
  let blobRoot: string;
  let blobs: LocalBlobStore;
  let artifacts: ArtifactsTestApp;
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('artifact_revision');

  const request = (jobId: string, blob: BlobRef, kind = 'results_md'): RegisterArtifactRequest => ({
    job_id: jobId,
    user_id: owner.id,
    kind: kind as RegisterArtifactRequest['kind'],
    blob,
    content_type: 'text/markdown; charset=utf-8',
    filename: 'results.md',
  });
  const put = (text: string) => blobs.put(Buffer.from(text));
  const refusal = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return (error as { code?: string }).code;
    }
    throw new Error('the call was not refused');
  };
  const eventTypesOf = async (jobId: string) => {
    const rows = (await artifacts.app
      .get(EntityManager)
      .fork()
      .getConnection()
      .execute(`select type from artifacts.events where stream_id = ? order by stream_version`, [
        `job-artifacts-${jobId}`,
      ])) as { type: string }[];
    return rows.map((row) => row.type);
  };

  beforeAll(async () => {
    database = await createTestDatabase('artifact_revision');
    blobRoot = await mkdtemp(join(tmpdir(), 'sr-artifact-revision-'));
    blobs = new LocalBlobStore(blobRoot);
    artifacts = await startArtifactsTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      BLOB_ROOT: blobRoot,
      DOWNLOAD_SIGNING_KEY: randomBytes(32).toString('base64'),
    });
  });

  afterAll(async () => {
    await artifacts?.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
    if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
  });

  it('keeps the artifact id and points it, its listing and its downloads at the new blob', async () => {
    const jobId = randomUUID();
    const original = await artifacts.call<ArtifactView>(
      ArtifactsRpc.register,
      request(jobId, await put('# Speaker 0 said it\n')),
      worker,
    );
    const newer = await put('# Alice said it, at last\n');
    const revised = await artifacts.call<ArtifactView>(ARTIFACTS_REVISE, request(jobId, newer), worker);
    expect(revised).toMatchObject({
      id: original.id,
      checksum: newer.sha256,
      size: newer.size,
      uri: newer.uri,
    });

    // The worker reads the job's outputs to re-render them; the owner sees the same.
    const listed = await artifacts.call<ArtifactView[]>(ArtifactsRpc.listForJob, { job_id: jobId }, worker);
    expect(listed.map((artifact) => [artifact.id, artifact.checksum])).toEqual([[original.id, newer.sha256]]);

    const signed = await artifacts.call<SignedDownload>(
      ArtifactsRpc.sign,
      { artifact_id: original.id },
      owner,
    );
    const url = new URL(signed.url, 'http://gateway.test');
    const resolved = await artifacts.call<ResolvedDownload>(
      ArtifactsRpc.resolveDownload,
      {
        artifact_id: original.id,
        exp: url.searchParams.get('exp') ?? '',
        kid: url.searchParams.get('kid') ?? '',
        sig: url.searchParams.get('sig') ?? '',
      },
      gateway,
    );
    expect(resolved.blob.sha256).toBe(newer.sha256);
    expect(await eventTypesOf(jobId)).toEqual(['ArtifactRegistered', 'ArtifactRevised']);
  });

  it('changes nothing for the same blob again, and counts revisions', async () => {
    const jobId = randomUUID();
    await artifacts.call(ArtifactsRpc.register, request(jobId, await put(`first ${jobId}`)), worker);
    const second = await put(`second ${jobId}`);
    await artifacts.call(ARTIFACTS_REVISE, request(jobId, second), worker);
    await artifacts.call(ARTIFACTS_REVISE, request(jobId, second), worker);
    await artifacts.call(ARTIFACTS_REVISE, request(jobId, await put(`third ${jobId}`)), worker);
    expect(await eventTypesOf(jobId)).toEqual(['ArtifactRegistered', 'ArtifactRevised', 'ArtifactRevised']);
    const [revisions] = (await artifacts.app
      .get(EntityManager)
      .fork()
      .getConnection()
      .execute(
        `select array_agg((data->>'revision')::int order by stream_version) as revisions from artifacts.events where stream_id = ? and type = 'ArtifactRevised'`,
        [`job-artifacts-${jobId}`],
      )) as { revisions: number[] }[];
    expect(revisions?.revisions).toEqual([2, 3]);
  });

  it('refuses anyone but the worker, a kind never registered, and a blob not in the store', async () => {
    const jobId = randomUUID();
    await artifacts.call(ArtifactsRpc.register, request(jobId, await put(`only ${jobId}`)), worker);
    const other = await put(`other ${jobId}`);
    expect(await refusal(artifacts.call(ARTIFACTS_REVISE, request(jobId, other), owner))).toBe('FORBIDDEN');
    expect(
      await refusal(artifacts.call(ARTIFACTS_REVISE, request(jobId, other, 'results_json'), worker)),
    ).toBe('NOT_FOUND');
    const missing = { uri: `blob://sha256/${'0'.repeat(64)}`, sha256: '0'.repeat(64), size: 3 };
    expect(await refusal(artifacts.call(ARTIFACTS_REVISE, request(jobId, missing), worker))).toBe(
      'VALIDATION_FAILED',
    );
    expect(await eventTypesOf(jobId)).toEqual(['ArtifactRegistered']);
  });
});
