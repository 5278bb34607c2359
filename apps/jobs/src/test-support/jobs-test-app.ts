import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { MikroORM } from '@mikro-orm/postgresql';
import { lastValueFrom } from 'rxjs';
import { loadConfig } from '@scriptripper/config';
import type { Actor } from '@scriptripper/contracts';
import { schemaDriftSql } from '@scriptripper/event-store';
import { connectStreamsServer } from '@scriptripper/service-runtime';
import { RedisStreamsClient, withContext } from '@scriptripper/streams';
import { AppModule } from '../app.module';
import { JobsConfig } from '../config';
import { mikroOrmOptions } from '../mikro-orm.config';

const workspaceRoot = resolve(__dirname, '../../../..');

export interface JobsTestApp {
  readonly app: INestApplication;
  readonly driftAfterMigrations: string;
  call<T>(pattern: string, data: unknown, actor?: Actor): Promise<T>;
  close(): Promise<void>;
}

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
    ...options.settings,
  });
  const ormOptions = mikroOrmOptions(config);
  const migrator = await MikroORM.init({
    ...ormOptions,
    migrations: { ...ormOptions.migrations, silent: true },
  });
  await migrator.em.getConnection().execute('create schema if not exists jobs');
  await migrator.getMigrator().up();
  const driftAfterMigrations = await schemaDriftSql(migrator);
  await migrator.close(true);

  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: ['error'] });
  await connectStreamsServer(app, {
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
    service: 'jobs',
    streams: [],
    blockMs: 100,
  });
  await app.init();
  const client = new RedisStreamsClient({
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
    clientName: `jobs-test-${randomUUID()}`,
  });
  return {
    app,
    driftAfterMigrations,
    call: <T>(pattern: string, data: unknown, actor?: Actor) =>
      lastValueFrom(
        client.send<T>(
          pattern,
          withContext({ correlationId: randomUUID(), ...(actor ? { actor } : {}) }, data),
        ),
      ),
    async close() {
      await client.close();
      await app.close();
    },
  };
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

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}
