import { randomUUID } from 'node:crypto';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { serviceActor } from '@scriptripper/contracts';
import { dropEventTableGuardsSql, EventStore, serviceOrmOptions } from '@scriptripper/event-store';
import { AuditRpcModule, connectStreamsServer, DataServiceModule } from '@scriptripper/service-runtime';
import { RedisStreamsClient } from '@scriptripper/streams';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { allVerified, describeReport, verifyHashChainsOf } from './verify-hash-chains';

const SCHEMA = 'profiles';

describe('audit:verify', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('audit-verify');
  let database: TestDatabase;
  let app: INestApplication;
  let client: RedisStreamsClient;

  beforeAll(async () => {
    database = await createTestDatabase('audit_verify');
    const ormOptions = serviceOrmOptions({ clientUrl: database.url, schema: SCHEMA });
    const migrator = await MikroORM.init({
      ...ormOptions,
      migrations: { ...ormOptions.migrations, silent: true },
    });
    await migrator.em.getConnection().execute(`create schema ${SCHEMA}`);
    await migrator.getMigrator().up();
    await migrator.close(true);

    @Module({
      imports: [
        MikroOrmModule.forRoot(ormOptions),
        DataServiceModule.forRoot({ service: SCHEMA, redisUrl, keyPrefix }),
        AuditRpcModule.forService(SCHEMA),
      ],
    })
    class ProfilesLikeModule {}

    app = await NestFactory.create(ProfilesLikeModule, new FastifyAdapter(), { logger: ['error'] });
    await connectStreamsServer(app, { redisUrl, keyPrefix, service: 'profiles', streams: [], blockMs: 100 });
    await app.init();
    client = new RedisStreamsClient({ redisUrl, keyPrefix, clientName: 'audit-verify-test' });
    for (const title of ['first', 'second']) {
      await app.get(EventStore).append({
        streamId: `profile-${randomUUID()}`,
        streamType: 'profile',
        expectedVersion: 'no-stream',
        events: [{ type: 'ProfileCreated', data: { title } }],
        context: {
          actor: serviceActor('profiles'),
          correlationId: randomUUID(),
          causationId: null,
          traceparent: null,
        },
      });
    }
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
  });

  it('reports every chain intact over RPC', async () => {
    const reports = await verifyHashChainsOf(client, [SCHEMA]);
    expect(reports).toEqual([{ service: SCHEMA, report: { ok: true, streams: 2, events: 2 } }]);
    expect(allVerified(reports)).toBe(true);
  });

  it('names the first broken link after an event was edited behind the guards', async () => {
    const connection = app.get(EntityManager).getConnection();
    for (const sql of dropEventTableGuardsSql(SCHEMA)) await connection.execute(sql);
    await connection.execute(
      `update ${SCHEMA}.events set data = '{"title":"forged"}' where global_position = (select min(global_position) from ${SCHEMA}.events)`,
    );
    const reports = await verifyHashChainsOf(client, [SCHEMA]);
    expect(allVerified(reports)).toBe(false);
    expect(describeReport(reports[0] as (typeof reports)[number])).toMatch(
      /^profiles: BROKEN at stream profile-/,
    );
  });

  it('counts a service that does not answer as a failure', async () => {
    const reports = await verifyHashChainsOf(client, ['artifacts'], 500);
    expect(allVerified(reports)).toBe(false);
    expect(describeReport(reports[0] as (typeof reports)[number])).toMatch(/^artifacts: could not verify/);
  });
});
