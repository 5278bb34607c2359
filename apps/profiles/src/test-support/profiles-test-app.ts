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
import { ProfilesConfig } from '../config';
import { mikroOrmOptions } from '../mikro-orm.config';

export interface ProfilesTestApp {
  readonly app: INestApplication;
  /** The schema drift right after the migrations ran: '' when they match the entities. */
  readonly driftAfterMigrations: string;
  call<T>(pattern: string, data: unknown, actor?: Actor): Promise<T>;
  /** Stops the app and its client; the database and keys are the caller's to drop. */
  close(): Promise<void>;
}

/** The profiles service as it runs (AppModule, Streams server), migrated, on the given database and key prefix. */
export async function startProfilesTestApp(options: {
  databaseUrl: string;
  redisUrl: string;
  keyPrefix: string;
}): Promise<ProfilesTestApp> {
  const config = loadConfig(ProfilesConfig, {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: options.keyPrefix,
    LOG_LEVEL: 'silent',
  });

  const ormOptions = mikroOrmOptions(config);
  const migrator = await MikroORM.init({
    ...ormOptions,
    migrations: { ...ormOptions.migrations, silent: true },
  });
  await migrator.em.getConnection().execute('create schema if not exists profiles');
  await migrator.getMigrator().up();
  const driftAfterMigrations = await schemaDriftSql(migrator);
  await migrator.close(true);

  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: ['error'] });
  await connectStreamsServer(app, {
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
    service: 'profiles',
    streams: [],
    blockMs: 100,
  });
  await app.init();
  const client = new RedisStreamsClient({
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
    clientName: `profiles-test-${randomUUID()}`,
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
