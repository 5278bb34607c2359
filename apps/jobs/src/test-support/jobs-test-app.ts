import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Actor } from '@scriptripper/contracts';
import { loadConfig } from '@scriptripper/config';
import { startServiceUnderTest, type ServiceUnderTest } from '@scriptripper/service-testing';
import { AppModule } from '../app.module';
import { JobsConfig } from '../config';
import { JOBS_CONSUMED_STREAMS } from '../consumed-streams';
import { mikroOrmOptions } from '../mikro-orm.config';

const workspaceRoot = resolve(__dirname, '../../../..');

export type JobsTestApp = ServiceUnderTest;

interface Connection {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly keyPrefix: string;
}

/** The jobs service as it runs (AppModule, Streams server), migrated; `settings` override its config. */
export async function startJobsTestApp(
  options: Connection & { settings?: Record<string, string> },
): Promise<JobsTestApp> {
  const config = loadConfig(JobsConfig, {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: options.keyPrefix,
    LOG_LEVEL: 'silent',
    JOBS_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ...options.settings,
  });
  return startServiceUnderTest({
    service: 'jobs',
    rootModule: AppModule.register(config),
    ormOptions: mikroOrmOptions(config),
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    streams: JOBS_CONSUMED_STREAMS,
  });
}

/**
 * The real profiles service, as its own process from dist/ (apps never import apps): migrated,
 * then started, answering `rpc:profiles` under the same key prefix. Needs `npm run build`
 * (or a build elsewhere named by TEST_BUILD_DIR, e.g. `node tools/build/build.mjs --out-dir tmp/x`).
 */
export async function startProfilesProcess(options: Connection): Promise<{ stop(): Promise<void> }> {
  const built = (file: string) => {
    const path = resolve(workspaceRoot, process.env['TEST_BUILD_DIR'] ?? 'dist', 'apps/profiles/src', file);
    if (!existsSync(path))
      throw new Error(`${path} does not exist: run \`npm run build\` first (npm test does).`);
    return path;
  };
  const env = {
    PATH: process.env['PATH'],
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: options.keyPrefix,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'error',
  };
  const migrated = await exitOf(
    spawn(process.execPath, [built('migrate.js')], { cwd: workspaceRoot, env, stdio: 'ignore' }),
  );
  if (migrated !== 0) throw new Error(`the profiles migrations exited with ${migrated}`);
  const child = spawn(process.execPath, [built('main.js')], { cwd: workspaceRoot, env, stdio: 'ignore' });
  const exited = exitOf(child);
  return {
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Waits until the jobs service reaches the profiles process and it answers for a built-in
 * (it publishes them at start), so the first test does not race the start-up.
 */
export async function profilesAnswering(jobs: JobsTestApp, actor: Actor, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await jobs.call('profiles.resolve', { key: 'meeting' }, actor);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}
