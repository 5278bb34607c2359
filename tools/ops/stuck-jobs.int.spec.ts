import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { builtFile, pollUntil, startNode, type NodeProcess } from '../dev/test-support/node-processes';
import { UsageError } from './ops-cli';
import { stuckJobsMain } from './stuck-jobs';

/**
 * The command against the real jobs service, run from the build: the request reaches
 * `rpc:jobs` as the operators' tool, passes its checks and comes back. (What the service does
 * with stuck jobs is proven in apps/jobs/src/stuck-jobs/stuck-jobs.int.spec.ts.)
 */
describe('ops stuck-jobs against the jobs service process', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('ops-stuck');
  let database: TestDatabase;
  let jobs: NodeProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createTestDatabase('ops_stuck');
    env = {
      PATH: process.env['PATH'],
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
      JOBS_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    const migrated = spawnSync(process.execPath, [builtFile('apps/jobs/src/migrate.js')], {
      env,
      encoding: 'utf8',
    });
    expect(migrated.status).toBe(0);
    jobs = startNode(builtFile('apps/jobs/src/main.js'), env);
    await pollUntil('the jobs service to listen', async () =>
      jobs.lines.some((line) => line.includes('listening on')) ? true : undefined,
    );
  }, 120_000);

  afterAll(async () => {
    await jobs?.stop();
    await database?.drop();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  async function output(argv: string[]): Promise<{ code: number; text: string }> {
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const code = await stuckJobsMain(argv, env);
      return { code, text: written.join('') };
    } finally {
      write.mockRestore();
    }
  }

  it('lists and re-queues through rpc:jobs, answering in JSON or text', async () => {
    expect(await output(['list', '--older-than-minutes', '0', '--json'])).toEqual({
      code: 0,
      text: `${JSON.stringify({ items: [] }, null, 2)}\n`,
    });
    expect(await output(['requeue', '--older-than-minutes', '5', '--json'])).toEqual({
      code: 0,
      text: `${JSON.stringify({ items: [] }, null, 2)}\n`,
    });
    expect((await output(['requeue', '--older-than-minutes', '5', '--dry-run'])).text).toContain(
      'No job queued or running for 5 minute(s) or more.',
    );
  });

  it('refuses bad arguments before calling the service', async () => {
    await expect(stuckJobsMain(['list'], env)).rejects.toThrow('--older-than-minutes N is required');
    await expect(stuckJobsMain(['list', '--older-than-minutes', '-3'], env)).rejects.toThrow(UsageError);
    await expect(stuckJobsMain(['rerun', '--older-than-minutes', '3'], env)).rejects.toThrow(
      'unknown command',
    );
    await expect(stuckJobsMain(['list', '--older-than-minutes', '3', '--limit', '0'], env)).rejects.toThrow(
      '--limit must be a positive integer',
    );
  });
});
