import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ArtifactsRpc,
  ErrorCodes,
  serviceActor,
  type Actor,
  type ArtifactView,
  type RegisterArtifactRequest,
  type ResolveDownloadRequest,
  type ResolvedDownload,
  type SignedDownload,
} from '@scriptripper/contracts';
import { LocalBlobStore, type BlobRef } from '@scriptripper/blob-store';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { startArtifactsTestApp, type ArtifactsTestApp } from './test-support/artifacts-test-app';

const owner: Actor = { id: randomUUID(), role: 'user', scopes: ['jobs:read', 'jobs:write'] };
const stranger: Actor = { id: randomUUID(), role: 'user', scopes: ['jobs:read', 'jobs:write'] };
const admin: Actor = { id: randomUUID(), role: 'admin', scopes: ['jobs:read'] };
const worker = serviceActor('worker');
const gateway = serviceActor('gateway');
const firstKey = randomBytes(32).toString('base64');
const secondKey = randomBytes(32).toString('base64');

describe('the artifacts service over rpc:artifacts', () => {
  let database: TestDatabase;
  let blobRoot: string;
  let blobs: LocalBlobStore;
  let artifacts: ArtifactsTestApp;
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('artifacts');
  const start = (keys: {
    DOWNLOAD_SIGNING_KEY: string;
    DOWNLOAD_SIGNING_KEY_ID?: string;
    DOWNLOAD_SIGNING_PREVIOUS_KEYS?: string;
  }) =>
    startArtifactsTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      BLOB_ROOT: blobRoot,
      ...keys,
    });
  const restart = async (keys: Parameters<typeof start>[0]) => {
    await artifacts.close();
    artifacts = await start(keys);
  };

  const registration = (jobId: string, blob: BlobRef, kind = 'results_md'): RegisterArtifactRequest => ({
    job_id: jobId,
    user_id: owner.id,
    kind: kind as RegisterArtifactRequest['kind'],
    blob,
    content_type: 'text/markdown; charset=utf-8',
    filename: 'results.md',
  });
  const register = (request: RegisterArtifactRequest, actor: Actor = worker) =>
    artifacts.call<ArtifactView>(ArtifactsRpc.register, request, actor);
  const registered = async (content = `# Results ${randomUUID()}\n`) => {
    const jobId = randomUUID();
    return register(registration(jobId, await blobs.put(Buffer.from(content))));
  };
  const sign = (artifactId: string, actor: Actor = owner) =>
    artifacts.call<SignedDownload>(ArtifactsRpc.sign, { artifact_id: artifactId }, actor);
  const resolve = (request: ResolveDownloadRequest, actor: Actor = gateway) =>
    artifacts.call<ResolvedDownload>(ArtifactsRpc.resolveDownload, request, actor);
  const requestOf = (signed: SignedDownload): ResolveDownloadRequest => {
    const url = new URL(signed.url, 'http://gateway.test');
    const param = (name: string) => url.searchParams.get(name) ?? '';
    return {
      artifact_id: url.pathname.split('/').at(-1) ?? '',
      exp: param('exp'),
      kid: param('kid'),
      sig: param('sig'),
    };
  };
  const eventsOfJob = async (jobId: string) => {
    const rows = (await artifacts.app
      .get(EntityManager)
      .fork()
      .getConnection()
      .execute(`select type from artifacts.events where stream_id = ?`, [`job-artifacts-${jobId}`])) as {
      type: string;
    }[];
    return rows.map((row) => row.type);
  };

  beforeAll(async () => {
    database = await createTestDatabase('artifacts');
    blobRoot = await mkdtemp(join(tmpdir(), 'sr-artifacts-blobs-'));
    blobs = new LocalBlobStore(blobRoot);
    artifacts = await start({ DOWNLOAD_SIGNING_KEY: firstKey, DOWNLOAD_SIGNING_KEY_ID: 'k1' });
  });

  afterAll(async () => {
    await artifacts?.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
    if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
  });

  it('migrates to exactly the schema the entities describe', () => {
    expect(artifacts.driftAfterMigrations).toBe('');
  });

  describe('registering', () => {
    it('records an artifact of a stored blob and publishes ArtifactRegistered on events:artifacts', async () => {
      const blob = await blobs.put(Buffer.from('# Results\n'));
      const jobId = randomUUID();

      const artifact = await register(registration(jobId, blob));

      expect(artifact).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        job_id: jobId,
        kind: 'results_md',
        uri: blob.uri,
        checksum: blob.sha256,
        size: blob.size,
        content_type: 'text/markdown; charset=utf-8',
        filename: 'results.md',
        created_at: expect.any(String),
      });
      const redis = new Redis(redisUrl);
      try {
        const published = await pollUntil('the event on events:artifacts', async () => {
          const entries = await redis.xrange(`${keyPrefix}events:artifacts`, '-', '+');
          return entries
            .map(([, list]) => JSON.parse(fieldsOf(list)['envelope'] ?? '{}') as PublishedEvent)
            .find((envelope) => envelope.data?.artifact_id === artifact.id);
        });
        expect(published).toMatchObject({
          type: 'ArtifactRegistered',
          actor: { id: 'service:worker' },
          data: { job_id: jobId, user_id: owner.id, checksum: blob.sha256 },
        });
      } finally {
        redis.disconnect();
      }
    });

    it('answers the existing artifact when the same blob is registered again, changing nothing', async () => {
      const blob = await blobs.put(Buffer.from(`retried ${randomUUID()}`));
      const jobId = randomUUID();
      const first = await register(registration(jobId, blob));

      const again = await register(registration(jobId, blob));
      const concurrent = await Promise.all([1, 2, 3].map(() => register(registration(jobId, blob))));

      expect(again).toEqual(first);
      expect(concurrent).toEqual([first, first, first]);
      expect(await eventsOfJob(jobId)).toEqual(['ArtifactRegistered']);
    });

    it('keeps one artifact per kind when concurrent first registrations race', async () => {
      const blob = await blobs.put(Buffer.from(`raced ${randomUUID()}`));
      const jobId = randomUUID();

      const results = await Promise.all([1, 2, 3, 4].map(() => register(registration(jobId, blob))));

      expect(new Set(results.map((result) => result.id)).size).toBe(1);
      expect(await eventsOfJob(jobId)).toEqual(['ArtifactRegistered']);
    });

    it('refuses a different blob for a kind the job has already', async () => {
      const jobId = randomUUID();
      await register(registration(jobId, await blobs.put(Buffer.from(`one ${randomUUID()}`))));
      const other = await blobs.put(Buffer.from(`another ${randomUUID()}`));

      await expect(register(registration(jobId, other))).rejects.toMatchObject({ code: ErrorCodes.conflict });
      const another = await register(registration(jobId, other, 'results_json'));
      expect(another.kind).toBe('results_json');
    });

    it('refuses a blob missing from the store or of another size', async () => {
      const content = Buffer.from(`sized ${randomUUID()}`);
      const stored = await blobs.put(content);
      const missing = { ...stored, sha256: 'e'.repeat(64), uri: `blob://sha256/${'e'.repeat(64)}` };

      await expect(register(registration(randomUUID(), missing))).rejects.toMatchObject({
        code: ErrorCodes.validationFailed,
        message: expect.stringContaining('not in the blob store'),
      });
      await expect(
        register(registration(randomUUID(), { ...stored, size: stored.size + 1 })),
      ).rejects.toMatchObject({ code: ErrorCodes.validationFailed });
    });

    it('refuses a blob whose stored bytes no longer match its checksum', async () => {
      const blob = await blobs.put(Buffer.from(`original ${randomUUID()}`));
      const path = join(blobRoot, blob.sha256.slice(0, 2), blob.sha256.slice(2, 4), blob.sha256);
      await writeFile(path, Buffer.alloc(blob.size, 'x'));

      await expect(register(registration(randomUUID(), blob))).rejects.toMatchObject({
        code: ErrorCodes.validationFailed,
        message: expect.stringContaining('does not match its checksum'),
      });
    });

    it('refuses a uri that does not name the sha256, or an unknown kind', async () => {
      const blob = await blobs.put(Buffer.from(`checked ${randomUUID()}`));
      await expect(
        register(registration(randomUUID(), { ...blob, uri: `blob://sha256/${'f'.repeat(64)}` })),
      ).rejects.toMatchObject({ code: ErrorCodes.validationFailed });
      await expect(register(registration(randomUUID(), blob, 'secrets'))).rejects.toMatchObject({
        code: ErrorCodes.validationFailed,
      });
    });

    it('lets only the worker register', async () => {
      const blob = await blobs.put(Buffer.from(`forged ${randomUUID()}`));

      await expect(register(registration(randomUUID(), blob), owner)).rejects.toMatchObject({
        code: ErrorCodes.forbidden,
      });
      await expect(register(registration(randomUUID(), blob), gateway)).rejects.toMatchObject({
        code: ErrorCodes.forbidden,
      });
    });
  });

  describe('reading', () => {
    it("lists a job's artifacts and gets one for its owner and admins", async () => {
      const jobId = randomUUID();
      const md = await register(registration(jobId, await blobs.put(Buffer.from(`md ${randomUUID()}`))));
      const json = await register(
        registration(jobId, await blobs.put(Buffer.from(`{"n":"${randomUUID()}"}`)), 'results_json'),
      );

      for (const reader of [owner, admin]) {
        expect(await artifacts.call(ArtifactsRpc.listForJob, { job_id: jobId }, reader)).toEqual([md, json]);
        expect(await artifacts.call(ArtifactsRpc.get, { artifact_id: md.id }, reader)).toEqual(md);
      }
    });

    it("answers NOT_FOUND for another user's artifacts, as for ones that never were", async () => {
      const artifact = await registered();

      for (const [pattern, data] of [
        [ArtifactsRpc.get, { artifact_id: artifact.id }],
        [ArtifactsRpc.sign, { artifact_id: artifact.id }],
        [ArtifactsRpc.listForJob, { job_id: artifact.job_id }],
        [ArtifactsRpc.get, { artifact_id: randomUUID() }],
      ] as const) {
        await expect(artifacts.call(pattern, data, stranger)).rejects.toMatchObject({
          code: ErrorCodes.notFound,
        });
      }
    });

    it('answers an empty list for a job with no artifacts yet', async () => {
      expect(await artifacts.call(ArtifactsRpc.listForJob, { job_id: randomUUID() }, owner)).toEqual([]);
    });

    it('refuses anonymous readers', async () => {
      const artifact = await registered();
      await expect(artifacts.call(ArtifactsRpc.get, { artifact_id: artifact.id })).rejects.toMatchObject({
        code: ErrorCodes.unauthorized,
      });
    });
  });

  describe('signed downloads', () => {
    it("signs a short-lived URL for the owner that the gateway resolves to the artifact's blob", async () => {
      const artifact = await registered();

      const signed = await sign(artifact.id);
      const resolved = await resolve(requestOf(signed));

      expect(signed.url).toMatch(
        new RegExp(`^/api/v1/downloads/${artifact.id}\\?exp=\\d+&kid=k1&sig=[0-9a-f]{64}$`),
      );
      const lifetime = Date.parse(signed.expires_at) - Date.now();
      expect(lifetime).toBeGreaterThan(0);
      expect(lifetime).toBeLessThanOrEqual(300_000);
      expect(resolved).toEqual({
        blob: { uri: artifact.uri, sha256: artifact.checksum, size: artifact.size },
        content_type: artifact.content_type,
        filename: artifact.filename,
      });
    });

    it('resolves only for the gateway', async () => {
      const request = requestOf(await sign((await registered()).id));

      await expect(resolve(request, owner)).rejects.toMatchObject({ code: ErrorCodes.forbidden });
    });

    it('refuses a tampered URL: signature, expiry, key id or another artifact', async () => {
      const request = requestOf(await sign((await registered()).id));
      const other = await registered();
      const flipped = `${request.sig.slice(0, -1)}${request.sig.endsWith('0') ? '1' : '0'}`;

      for (const tampered of [
        { ...request, sig: flipped },
        { ...request, exp: String(Number(request.exp) + 86_400) },
        { ...request, kid: 'k9' },
        { ...request, artifact_id: other.id },
      ]) {
        await expect(resolve(tampered)).rejects.toMatchObject({
          code: ErrorCodes.forbidden,
          message: 'this download link is not valid',
        });
      }
    });

    it('refuses an expired URL', async () => {
      const artifact = await registered();
      const exp = String(Math.floor(Date.now() / 1_000) - 1);
      const sig = createHmac('sha256', Buffer.from(firstKey, 'base64'))
        .update(`${artifact.id}.${exp}`)
        .digest('hex');

      await expect(resolve({ artifact_id: artifact.id, exp, kid: 'k1', sig })).rejects.toMatchObject({
        code: ErrorCodes.forbidden,
        message: 'this download link has expired',
      });
    });

    it('keeps URLs of a rotated key valid while it is configured, and no longer after', async () => {
      const artifact = await registered();
      const beforeRotation = requestOf(await sign(artifact.id));

      await restart({
        DOWNLOAD_SIGNING_KEY: secondKey,
        DOWNLOAD_SIGNING_KEY_ID: 'k2',
        DOWNLOAD_SIGNING_PREVIOUS_KEYS: JSON.stringify({ k1: firstKey }),
      });
      const afterRotation = requestOf(await sign(artifact.id));
      expect(afterRotation.kid).toBe('k2');
      expect((await resolve(beforeRotation)).blob.sha256).toBe(artifact.checksum);
      expect((await resolve(afterRotation)).blob.sha256).toBe(artifact.checksum);

      await restart({ DOWNLOAD_SIGNING_KEY: secondKey, DOWNLOAD_SIGNING_KEY_ID: 'k2' });
      await expect(resolve(beforeRotation)).rejects.toMatchObject({ code: ErrorCodes.forbidden });
      expect((await resolve(afterRotation)).blob.sha256).toBe(artifact.checksum);
    });
  });
});

interface PublishedEvent {
  readonly type?: string;
  readonly data?: { readonly artifact_id?: string };
}

function fieldsOf(list: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let index = 0; index + 1 < list.length; index += 2) record[list[index] ?? ''] = list[index + 1] ?? '';
  return record;
}

async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
