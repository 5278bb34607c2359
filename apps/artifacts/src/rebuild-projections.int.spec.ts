import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { LocalBlobStore } from '@scriptripper/blob-store';
import { loadConfig } from '@scriptripper/config';
import { ArtifactsRpc, serviceActor, type RegisterArtifactRequest } from '@scriptripper/contracts';
import { rebuildReadModels } from '@scriptripper/service-runtime';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { ArtifactsConfig } from './config';
import { mikroOrmOptions } from './mikro-orm.config';
import { artifactsReadModels } from './projections';
import { startArtifactsTestApp, type ArtifactsTestApp } from './test-support/artifacts-test-app';

describe('rebuilding the artifacts read models from the event table', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('artifacts-rebuild');
  let database: TestDatabase;
  let blobRoot: string;
  let artifacts: ArtifactsTestApp;
  let orm: MikroORM;

  const rows = (table: string) => orm.em.fork().execute(`select * from artifacts.${table} order by 1`);

  beforeAll(async () => {
    database = await createTestDatabase('artifacts_rebuild');
    blobRoot = await mkdtemp(join(tmpdir(), 'sr-rebuild-blobs-'));
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      BLOB_ROOT: blobRoot,
      DOWNLOAD_SIGNING_KEY: randomBytes(32).toString('base64'),
    };
    artifacts = await startArtifactsTestApp(env);
    orm = await MikroORM.init(mikroOrmOptions(loadConfig(ArtifactsConfig, env)));
  });

  afterAll(async () => {
    await orm?.close(true);
    await artifacts?.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
    if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
  });

  it('replays registered artifacts to exactly the rows the service wrote, and restores a lost one', async () => {
    const blobs = new LocalBlobStore(blobRoot);
    const userId = randomUUID();
    for (const kind of ['results_md', 'results_json'] as const) {
      const request: RegisterArtifactRequest = {
        job_id: randomUUID(),
        user_id: userId,
        kind,
        blob: await blobs.put(Buffer.from(`${kind} ${randomUUID()}`)),
        content_type: 'text/plain',
        filename: `${kind}.txt`,
      };
      await artifacts.call(ArtifactsRpc.register, request, serviceActor('worker'));
    }
    const before = await rows('artifacts');
    expect(before).toHaveLength(2);

    const check = await rebuildReadModels(orm.em, artifactsReadModels, { dryRun: true });
    expect(check.tables.map((table) => [table.table, table.rowsChanged])).toEqual([
      ['exports', 0],
      ['artifacts', 0],
    ]);

    await orm.em
      .fork()
      .execute('delete from artifacts.artifacts where ctid = (select ctid from artifacts.artifacts limit 1)');
    const rebuilt = await rebuildReadModels(orm.em, artifactsReadModels);
    expect(rebuilt.tables.find((table) => table.table === 'artifacts')).toMatchObject({
      rowsBefore: 1,
      rowsAfter: 2,
    });
    expect(await rows('artifacts')).toEqual(before);
  });
});
