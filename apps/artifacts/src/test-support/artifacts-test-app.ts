import { randomUUID } from 'node:crypto';
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
import { ArtifactsConfig } from '../config';
import { mikroOrmOptions } from '../mikro-orm.config';

export interface ArtifactsTestApp {
  readonly app: INestApplication;
  /** The schema drift right after the migrations ran: '' when they match the entities. */
  readonly driftAfterMigrations: string;
  call<T>(pattern: string, data: unknown, actor?: Actor): Promise<T>;
  /** Stops the app and its client; the database, keys and blob root are the caller's to drop. */
  close(): Promise<void>;
}

/** The artifacts service as it runs (AppModule, Streams server), migrated, with the given settings. */
export async function startArtifactsTestApp(env: {
  DATABASE_URL: string;
  REDIS_URL: string;
  REDIS_KEY_PREFIX: string;
  BLOB_ROOT: string;
  DOWNLOAD_SIGNING_KEY: string;
  DOWNLOAD_SIGNING_KEY_ID?: string;
  DOWNLOAD_SIGNING_PREVIOUS_KEYS?: string;
}): Promise<ArtifactsTestApp> {
  const config = loadConfig(ArtifactsConfig, { ...env, LOG_LEVEL: 'silent' });

  const ormOptions = mikroOrmOptions(config);
  const migrator = await MikroORM.init({
    ...ormOptions,
    migrations: { ...ormOptions.migrations, silent: true },
  });
  await migrator.em.getConnection().execute('create schema if not exists artifacts');
  await migrator.getMigrator().up();
  const driftAfterMigrations = await schemaDriftSql(migrator);
  await migrator.close(true);

  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: ['error'] });
  await connectStreamsServer(app, {
    redisUrl: env.REDIS_URL,
    keyPrefix: env.REDIS_KEY_PREFIX,
    service: 'artifacts',
    streams: [],
    blockMs: 100,
  });
  await app.init();
  const client = new RedisStreamsClient({
    redisUrl: env.REDIS_URL,
    keyPrefix: env.REDIS_KEY_PREFIX,
    clientName: `artifacts-test-${randomUUID()}`,
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
