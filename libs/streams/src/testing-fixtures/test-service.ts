import { Module, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { RedisStreamsServer } from '../redis-streams.server';
import type { RedisStreamsServerOptions } from '../redis-streams.options';
import { StreamsExceptionFilter } from '../streams-exception.filter';

/** What a test controller records; injected by its class. */
export class Probe {
  readonly handled: { type: string; data: unknown; deliveries: number; consumer?: string }[] = [];
  /** Free-form knobs a controller reads (failures left, gates to wait on, ...). */
  readonly state = new Map<string, unknown>();
}

export interface RunningService {
  readonly app: INestMicroservice;
  readonly server: RedisStreamsServer;
  readonly registry: Registry;
}

/** Fast settings for tests: small idle and backoff, short blocking reads. */
export function testServerOptions(
  overrides: Partial<RedisStreamsServerOptions> &
    Pick<RedisStreamsServerOptions, 'redisUrl' | 'keyPrefix' | 'service' | 'streams'>,
): RedisStreamsServerOptions {
  return {
    claimIdleMs: 1_500,
    maxDeliveries: 5,
    retryBackoff: { baseMs: 20, maxMs: 100, jitter: 0 },
    concurrency: 10,
    blockMs: 200,
    retireConsumersAfterMs: 60_000,
    shutdownTimeoutMs: 5_000,
    logger: silentLogger,
    ...overrides,
  };
}

export async function startService(
  controller: Type,
  probe: Probe,
  options: RedisStreamsServerOptions,
): Promise<RunningService> {
  @Module({ controllers: [controller], providers: [{ provide: Probe, useValue: probe }] })
  class TestModule {}
  const registry = options.metricsRegistry ?? new Registry();
  const server = new RedisStreamsServer({ ...options, metricsRegistry: registry });
  const app = await NestFactory.createMicroservice(TestModule, { strategy: server, logger: false });
  app.useGlobalFilters(new StreamsExceptionFilter());
  await app.listen();
  return { app, server, registry };
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function counterValue(registry: Registry, name: string, stream: string): Promise<number> {
  const metric = await registry.getSingleMetric(`scriptripper_stream_${name}`)?.get();
  return (metric?.values ?? [])
    .filter((sample) => sample.labels['stream'] === stream)
    .reduce((sum, sample) => sum + sample.value, 0);
}

export function openRedis(url: string): Redis {
  return new Redis(url, { protocol: 2, maxRetriesPerRequest: 1 });
}

const silentLogger = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
};
