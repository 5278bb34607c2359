import { randomUUID } from 'node:crypto';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { lastValueFrom } from 'rxjs';
import type { Actor, ServiceName } from '@scriptripper/contracts';
import { schemaDriftSql } from '@scriptripper/event-store';
import { connectStreamsServer } from '@scriptripper/service-runtime';
import { RedisStreamsClient, withContext } from '@scriptripper/streams';

export interface ServiceUnderTest {
  readonly app: INestApplication;
  /** The schema drift right after the migrations ran: '' when they match the entities. */
  readonly driftAfterMigrations: string;
  /** An RPC to any service under the same prefix, as `actor` (anonymous when none). */
  call<T>(pattern: string, data: unknown, actor?: Actor): Promise<T>;
  /** Stops the app and its client; the database and keys are the caller's to drop. */
  close(): Promise<void>;
}

/**
 * A data service as it runs (its root module, its Streams consumer), migrated first, on the
 * test's own database and key prefix, with a client to call it over the real transport.
 */
export async function startServiceUnderTest(options: {
  readonly service: ServiceName;
  readonly rootModule: DynamicModule;
  readonly ormOptions: Options;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly streams?: readonly string[];
}): Promise<ServiceUnderTest> {
  const migrator = await MikroORM.init({
    ...options.ormOptions,
    migrations: { ...options.ormOptions.migrations, silent: true },
  });
  await migrator.em.getConnection().execute(`create schema if not exists "${options.service}"`);
  await migrator.getMigrator().up();
  const driftAfterMigrations = await schemaDriftSql(migrator);
  await migrator.close(true);

  const moduleRef = await Test.createTestingModule({ imports: [options.rootModule] }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: ['error'] });
  await connectStreamsServer(app, {
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
    service: options.service,
    streams: options.streams ?? [],
    blockMs: 100,
  });
  await app.init();
  const client = new RedisStreamsClient({
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
    clientName: `${options.service}-test-${randomUUID()}`,
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
