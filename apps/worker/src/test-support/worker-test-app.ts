import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@scriptripper/config';
import { Streams } from '@scriptripper/contracts';
import { connectStreamsServer } from '@scriptripper/service-runtime';
import { AppModule } from '../app.module';
import { WorkerConfig } from '../config';

/**
 * The worker as it runs (AppModule, its Streams consumer on `work:analysis`), with short
 * reads, claims and retry backoffs so redeliveries happen within a test.
 */
export async function startWorkerTestApp(options: {
  redisUrl: string;
  keyPrefix: string;
  blobRoot: string;
  /** More settings, e.g. an LLM provider chain pointed at the fake LLM server. */
  env?: Readonly<Record<string, string>>;
}): Promise<INestApplication> {
  const config = loadConfig(WorkerConfig, {
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: options.keyPrefix,
    BLOB_ROOT: options.blobRoot,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  await connectStreamsServer(app, {
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
    service: 'worker',
    streams: [Streams.analysisWork],
    blockMs: 100,
    claimIdleMs: 2_000,
    retryBackoff: { baseMs: 50, maxMs: 200 },
  });
  await app.init();
  return app;
}
