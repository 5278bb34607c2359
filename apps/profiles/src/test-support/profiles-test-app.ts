import { loadConfig } from '@scriptripper/config';
import { startServiceUnderTest, type ServiceUnderTest } from '@scriptripper/service-testing';
import { AppModule } from '../app.module';
import { ProfilesConfig } from '../config';
import { mikroOrmOptions } from '../mikro-orm.config';

export type ProfilesTestApp = ServiceUnderTest;

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

  return startServiceUnderTest({
    service: 'profiles',
    rootModule: AppModule.register(config),
    ormOptions: mikroOrmOptions(config),
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
  });
}
