import { spawn, spawnSync } from 'node:child_process';
import { Client } from 'pg';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { builtFile, pollUntil, startNode } from '../dev/test-support/node-processes';

/**
 * `node dist/tools/ops/rebuild-projections.js` from the build, dispatching to the profiles
 * service's own rebuild over a database the profiles service itself filled (its built-ins).
 */
describe('ops rebuild-projections from the build', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('ops-rebuild');
  let database: TestDatabase;
  let client: Client;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createTestDatabase('ops_rebuild');
    env = {
      PATH: process.env['PATH'],
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    };
    expect(spawnSync(process.execPath, [builtFile('apps/profiles/src/migrate.js')], { env }).status).toBe(0);
    client = new Client({ connectionString: database.url });
    await client.connect();
    const profiles = startNode(builtFile('apps/profiles/src/main.js'), env);
    try {
      await pollUntil('the built-in profiles', async () => {
        const { rows } = await client.query('select count(*)::int as n from profiles.profile_versions');
        return (rows[0] as { n: number }).n >= 3 ? true : undefined;
      });
    } finally {
      await profiles.stop();
    }
  }, 120_000);

  afterAll(async () => {
    await client?.end();
    await database?.drop();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  function rebuild(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolveRun, reject) => {
      const child = spawn(process.execPath, [builtFile('tools/ops/rebuild-projections.js'), ...args], {
        env,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
    });
  }
  const names = async () =>
    (await client.query('select key, name from profiles.profiles order by key')).rows as {
      key: string;
      name: string;
    }[];

  it('reports no drift, then drift (exit 3) after a row was changed by hand, and rebuilds it', async () => {
    const original = await names();
    const clean = await rebuild(['--service', 'profiles', '--dry-run', '--json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({
      service: 'profiles',
      dryRun: true,
      tables: [
        { table: 'profile_versions', rowsChanged: 0 },
        { table: 'profiles', rowsChanged: 0 },
      ],
    });

    await client.query(`update profiles.profiles set name = 'edited by hand' where key = 'meeting'`);
    const drift = await rebuild(['--service', 'profiles', '--dry-run']);
    expect(drift.code).toBe(3);
    // The edited row counts twice: the wrong one out, the right one in.
    expect(drift.stdout).toMatch(/ {2}profiles: (\d+) row\(s\) before, \1 after, 2 differing/);

    expect((await rebuild(['--service', 'profiles'])).code).toBe(0);
    expect(await names()).toEqual(original);
  });

  it('refuses unknown services with its usage (exit 2)', async () => {
    const refused = await rebuild(['--service', 'worker']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--service must be one of auth, profiles, artifacts, jobs');
  });
});
