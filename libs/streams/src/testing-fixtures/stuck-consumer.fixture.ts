// A worker whose handler signals that it started and then never finishes: the test kills it.
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { RedisStreamsServer } from '../redis-streams.server';

const redisUrl = process.env['REDIS_URL'] as string;
const keyPrefix = process.env['KEY_PREFIX'] as string;
const signals = new Redis(redisUrl);

@Controller()
class StuckController {
  @EventPattern('AnalysisRequested')
  async analyse(@Payload() data: { jobId: string }) {
    await signals.set(`${keyPrefix}child:started`, data.jobId);
    await new Promise(() => undefined);
  }
}

@Module({ controllers: [StuckController] })
class StuckModule {}

async function main() {
  const server = new RedisStreamsServer({
    redisUrl,
    keyPrefix,
    service: 'worker',
    consumer: 'doomed-child',
    streams: ['work:analysis'],
    claimIdleMs: 1_000,
    retryBackoff: { baseMs: 10, maxMs: 100 },
    blockMs: 200,
    retireConsumersAfterMs: 60_000,
    metricsRegistry: new Registry(),
  });
  const app = await NestFactory.createMicroservice(StuckModule, { strategy: server, logger: false });
  await app.listen();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
