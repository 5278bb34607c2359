import { loadConfig } from '@scriptripper/config';
import { startServiceUnderTest, type ServiceUnderTest } from '@scriptripper/service-testing';
import { AppModule } from '../app.module';
import { ArtifactsConfig } from '../config';
import { ARTIFACTS_CONSUMED_STREAMS } from '../consumed-streams';
import { mikroOrmOptions } from '../mikro-orm.config';

export type ArtifactsTestApp = ServiceUnderTest;

/** The artifacts service as it runs (AppModule, Streams server), migrated, with the given settings. */
export async function startArtifactsTestApp(env: {
  DATABASE_URL: string;
  REDIS_URL: string;
  REDIS_KEY_PREFIX: string;
  BLOB_ROOT: string;
  DOWNLOAD_SIGNING_KEY: string;
  DOWNLOAD_SIGNING_KEY_ID?: string;
  DOWNLOAD_SIGNING_PREVIOUS_KEYS?: string;
  RETENTION_TRANSCRIPT_DAYS?: string;
  RETENTION_OUTPUT_DAYS?: string;
  RETENTION_SWEEP_INTERVAL_MS?: string;
  RETENTION_BLOB_GRACE_SECONDS?: string;
}): Promise<ArtifactsTestApp> {
  const config = loadConfig(ArtifactsConfig, { ...env, LOG_LEVEL: 'silent' });

  return startServiceUnderTest({
    service: 'artifacts',
    rootModule: AppModule.register(config),
    streams: ARTIFACTS_CONSUMED_STREAMS,
    ormOptions: mikroOrmOptions(config),
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
  });
}
