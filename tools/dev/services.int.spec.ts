import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import {
  createTestDatabase,
  freePort,
  startThrowawayRedis,
  testKeyPrefix,
  type TestDatabase,
  type ThrowawayRedis,
} from '@scriptripper/testing';
import { DEV_SERVICES, type DevService } from './dev-services';
import { builtFile, pollUntil, startNode, statusOf, type NodeProcess } from './test-support/node-processes';

/**
 * Every app, run from dist/ as in production, against a database of this file and a
 * throwaway Redis that the test stops: boot, health, metrics and config failures, once for all.
 */
describe('the services', () => {
  let database: TestDatabase;
  let redis: ThrowawayRedis;
  let blobRoot: string;
  // One prefix for all, as in a deployment: the services must find each other's streams.
  const keyPrefix = testKeyPrefix('services');
  const running = new Map<string, { process: NodeProcess; url: string; metricsUrl: string }>();
  const dataServices = DEV_SERVICES.filter((service) => service.ownsData);

  const secrets = Object.fromEntries(
    DEV_SERVICES.flatMap((service) => service.generatedSecrets ?? []).map((name) => [
      name,
      randomBytes(32).toString('base64'),
    ]),
  );

  function envFor(service: DevService, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const own = Object.fromEntries((service.generatedSecrets ?? []).map((name) => [name, secrets[name]]));
    return {
      ...service.env,
      ...own,
      PATH: process.env['PATH'],
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: keyPrefix,
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...(service.usesBlobs ? { BLOB_ROOT: blobRoot } : {}),
      ...overrides,
    };
  }

  const urlOf = (name: string) => running.get(name)?.url ?? '';

  beforeAll(async () => {
    database = await createTestDatabase('services');
    redis = await startThrowawayRedis();
    blobRoot = await mkdtemp(join(tmpdir(), 'sr-services-blobs-'));
    for (const service of dataServices) {
      const migration = startNode(builtFile(`apps/${service.name}/src/migrate.js`), envFor(service));
      const { code } = await migration.exited;
      if (code !== 0) throw new Error(`${service.name} migrations failed:\n${migration.lines.join('\n')}`);
    }
    for (const service of DEV_SERVICES) {
      const port = await freePort();
      // The gateway's HTTP port is public: its metrics have a port of their own.
      const metricsPort = service.name === 'gateway' ? await freePort() : port;
      const process = startNode(
        builtFile(`apps/${service.name}/src/main.js`),
        envFor(service, {
          HTTP_PORT: String(port),
          ...(service.name === 'gateway' ? { METRICS_PORT: String(metricsPort) } : {}),
        }),
      );
      running.set(service.name, {
        process,
        url: `http://127.0.0.1:${port}`,
        metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      });
    }
  });

  afterAll(async () => {
    await Promise.all([...running.values()].map(({ process }) => process.stop()));
    await redis?.stop();
    await database?.drop();
    if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
  });

  it("creates each data service's schema in its migration job", async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ schema_name: string }>(
        'SELECT schema_name FROM information_schema.schemata WHERE schema_name = ANY($1) ORDER BY schema_name',
        [dataServices.map((service) => service.name)],
      );
      expect(rows.map((row) => row.schema_name)).toEqual(dataServices.map((service) => service.name).sort());
    } finally {
      await client.end();
    }
  });

  it.each(DEV_SERVICES.map((service) => [service.name, service] as const))(
    '%s answers live, and ready once its Postgres (data services) and Redis answer',
    async (name, service) => {
      await pollUntil(`${name} ready`, async () =>
        (await statusOf(`${urlOf(name)}/health/ready`)) === 200 ? true : undefined,
      );

      expect(await statusOf(`${urlOf(name)}/health/live`)).toBe(200);
      const readiness = (await (await fetch(`${urlOf(name)}/health/ready`)).json()) as {
        details: Record<string, unknown>;
      };
      expect(Object.keys(readiness.details).sort()).toEqual(
        service.ownsData ? ['postgres', 'redis'] : ['redis'],
      );
    },
  );

  it("serves no metrics on the gateway's public port", async () => {
    const response = await fetch(`${urlOf('gateway')}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('process_resident_memory_bytes');
  });

  it.each(DEV_SERVICES.map((service) => service.name))('%s serves Prometheus metrics', async (name) => {
    const response = await fetch(running.get(name)?.metricsUrl ?? '');
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
    expect(text).toContain(`service="${name}"`);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/health\/ready"/);
  });

  it('answers 503 on ready in every service while Redis is down, and 200 again once it is back', async () => {
    await redis.stop();
    for (const { name } of DEV_SERVICES) {
      await pollUntil(`${name} not ready`, async () =>
        (await statusOf(`${urlOf(name)}/health/ready`)) === 503 ? true : undefined,
      );
      expect(await statusOf(`${urlOf(name)}/health/live`)).toBe(200);
    }

    await redis.restart();
    for (const { name } of DEV_SERVICES) {
      await pollUntil(`${name} ready again`, async () =>
        (await statusOf(`${urlOf(name)}/health/ready`)) === 200 ? true : undefined,
      );
    }
  });

  it.each(DEV_SERVICES.map((service) => [service.name, service] as const))(
    '%s refuses to start, naming each bad setting and never a secret value',
    async (name, service) => {
      const env = envFor(service, {
        REDIS_URL: '',
        HTTP_PORT: 'eighty',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        BLOB_ROOT: '',
      });
      const refused = startNode(builtFile(`apps/${name}/src/main.js`), env);

      const { code } = await refused.exited;
      const output = refused.lines.join('\n');
      expect(code).toBe(1);
      expect(output).toContain(`${name}: cannot start`);
      expect(output).toContain('REDIS_URL');
      expect(output).toContain('HTTP_PORT: must be a whole number (got "eighty")');
      if (service.ownsData)
        expect(output).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL (got ***)');
      if (service.usesBlobs) expect(output).toContain('BLOB_ROOT');
      expect(output).not.toContain('hunter2');
    },
  );

  it('has every consuming service read its own request stream in its own group, and the worker its work', async () => {
    const admin = new Redis(redis.url);
    try {
      const groupsOf = async (stream: string) => {
        const groups = (await admin.xinfo('GROUPS', `${keyPrefix}${stream}`)) as unknown[][];
        return groups.map((fields) => fields[fields.indexOf('name') + 1]);
      };
      for (const service of DEV_SERVICES.filter(({ name }) => name !== 'gateway')) {
        const groups = await pollUntil(`${service.name}'s consumer group`, async () => {
          const found = await groupsOf(`rpc:${service.name}`).catch(() => []);
          return found.length > 0 ? found : undefined;
        });
        expect(groups).toEqual([service.name]);
      }
      expect(await groupsOf('work:analysis')).toEqual(['worker']);
    } finally {
      admin.disconnect();
    }
  });

  it("creates each data service's event store tables, append-only, in its own schema", async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      for (const { name } of dataServices) {
        const { rows } = await client.query<{ table_name: string }>(
          'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
          [name],
        );
        // The store's tables, beside whatever read models the service has.
        expect(rows.map((row) => row.table_name)).toEqual(
          expect.arrayContaining(['events', 'inbox', 'mikro_orm_migrations', 'outbox', 'outbox_checkpoint']),
        );
        await expect(client.query(`TRUNCATE "${name}".events`)).rejects.toThrow(/append-only/);
      }
    } finally {
      await client.end();
    }
  });

  it.each(dataServices.map((service) => [service.name, service] as const))(
    'finds the %s migrations and entities in agreement (migrate --check)',
    async (_name, service) => {
      const check = startNode(builtFile(`apps/${service.name}/src/migrate.js`), envFor(service), ['--check']);
      const { code } = await check.exited;
      expect(check.lines.join('\n')).toContain('no pending migrations, and the schema matches the entities');
      expect(code).toBe(0);
    },
  );

  it('fails a migration job with exit code 1 and the reason when Postgres is unreachable', async () => {
    const unreachable = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const migration = startNode(builtFile('apps/jobs/src/migrate.js'), {
      PATH: process.env['PATH'],
      DATABASE_URL: unreachable,
    });

    const { code } = await migration.exited;
    expect(code).toBe(1);
    expect(migration.lines.join('\n')).toContain('jobs migrations failed: connect ECONNREFUSED');
  });
});
