import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { DEV_SERVICES } from './dev-services';
import {
  builtFile,
  isRunning,
  pollUntil,
  startNode,
  statusOf,
  type NodeProcess,
} from './test-support/node-processes';

/** `npm start` as a developer runs it (from dist/), on a database and key prefix of its own. */
describe('the dev launcher', () => {
  let database: TestDatabase;
  let dataDir: string;
  let launcher: NodeProcess;
  const redisUrl = testRedisUrl();
  const prefix = testKeyPrefix('dev-launcher');
  const seenPids = new Set<number>();

  /** `<service> started (pid N)` lines, latest last. */
  function startedPids(name: string): number[] {
    const pattern = new RegExp(`\\b${name} started \\(pid (\\d+)\\)`);
    return launcher.lines.flatMap((line) => {
      const match = pattern.exec(line);
      return match ? [Number(match[1])] : [];
    });
  }

  function urlOf(name: string): string | undefined {
    const pattern = new RegExp(`\\s${name}\\s+(http://127\\.0\\.0\\.1:\\d+)$`);
    for (const line of launcher.lines) {
      const match = pattern.exec(line);
      if (match) return match[1];
    }
    return undefined;
  }

  const allReady = async () => {
    for (const { name } of DEV_SERVICES) {
      const url = urlOf(name);
      if (!url || (await statusOf(`${url}/health/ready`)) !== 200) return undefined;
    }
    return true;
  };

  beforeAll(async () => {
    database = await createTestDatabase('dev_launcher');
    dataDir = await mkdtemp(join(tmpdir(), 'sr-dev-launcher-'));
    launcher = startNode(builtFile('tools/dev/start.js'), {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      DEV_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    await launcher?.stop();
    for (const pid of seenPids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    await database?.drop();
    await deleteKeysWithPrefix(redisUrl, prefix);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('migrates, starts every service until ready and writes the gateway URL and an admin token for clients', async () => {
    await pollUntil('every service ready', allReady, 110_000);

    for (const { name } of DEV_SERVICES) for (const pid of startedPids(name)) seenPids.add(pid);
    const credentials = JSON.parse(await readFile(join(dataDir, 'dev-credentials.json'), 'utf8'));
    expect(credentials).toEqual({ gateway: urlOf('gateway'), adminToken: expect.stringMatching(/^srt_/) });
    const me = await fetch(`${credentials.gateway}/api/v1/me`, {
      headers: { authorization: `Bearer ${credentials.adminToken}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'admin@scriptripper.local', role: 'admin' });
    // Operators' commands find the same servers through .data/dev.env (`set -a; . .data/dev.env`).
    const devEnv = Object.fromEntries(
      (await readFile(join(dataDir, 'dev.env'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => /^([A-Z_]+)='(.*)'$/.exec(line)?.slice(1, 3) ?? [line, '']),
    );
    expect(devEnv).toEqual({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      BLOB_ROOT: expect.stringContaining(dataDir),
    });
    const dlq = spawnSync(process.execPath, [builtFile('tools/ops/dlq.js'), 'list', '--json'], {
      env: { PATH: process.env['PATH'], ...devEnv },
      encoding: 'utf8',
    });
    expect({ status: dlq.status, stderr: dlq.stderr }).toEqual({ status: 0, stderr: '' });
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ('auth', 'profiles', 'jobs', 'artifacts')",
      );
      expect(rows).toHaveLength(4);
    } finally {
      await client.end();
    }
  });

  it('restarts a service that dies', async () => {
    const [firstPid] = startedPids('jobs');
    expect(firstPid).toBeDefined();

    process.kill(firstPid ?? 0, 'SIGKILL');

    const restartedPid = await pollUntil('jobs restarted', async () => startedPids('jobs')[1]);
    seenPids.add(restartedPid);
    expect(restartedPid).not.toBe(firstPid);
    expect(launcher.lines.some((line) => /jobs was killed \(SIGKILL\) .* restarting in 1s/.test(line))).toBe(
      true,
    );
    await pollUntil('every service ready after the restart', allReady);
  });

  it('stops every service and exits cleanly on SIGTERM', async () => {
    launcher.child.kill('SIGTERM');

    const { code } = await launcher.exited;
    expect(code).toBe(0);
    expect([...seenPids].filter(isRunning)).toEqual([]);
    expect(seenPids.size).toBe(DEV_SERVICES.length + 1);
  });
});
