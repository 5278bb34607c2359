/**
 * Our Redis Streams transport doing the same work as the baselines: a Nest microservice
 * with an @EventPattern handler in a consumer group (each message parsed, dispatched, acked
 * after the handler resolved), fed by the StreamPublisher (pipelined XADD) that the outbox
 * relay uses; and request/reply through RedisStreamsClient.send.
 */
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { serviceActor } from '@scriptripper/contracts';
import {
  createEnvelope,
  RedisStreamsClient,
  RedisStreamsServer,
  StreamPublisher,
} from '@scriptripper/streams';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { measureLatency, measureThroughput, waitFor, type Latency, type Throughput } from './measure';
import { PAYLOAD } from './raw-redis.bench';

const handled = { count: 0 };

@Controller()
class TransportBenchController {
  @EventPattern('BenchHappened')
  onEvent(): void {
    handled.count++;
  }

  @MessagePattern('bench.echo')
  echo(data: unknown): unknown {
    return data;
  }
}

@Module({ controllers: [TransportBenchController] })
class TransportBenchModule {}

export async function transportFigures(
  redisUrl: string,
  keyPrefix: string,
  events: number,
  calls: number,
): Promise<{ throughput: Throughput; latency: Latency }> {
  const server: INestMicroservice = await NestFactory.createMicroservice(TransportBenchModule, {
    strategy: new RedisStreamsServer({
      redisUrl,
      keyPrefix,
      service: 'bench',
      streams: ['events:bench'],
      concurrency: 100,
      blockMs: 200,
      metricsRegistry: new Registry(),
    }),
    logger: false,
  });
  await server.listen();
  const publisher = new StreamPublisher({ redisUrl, keyPrefix });
  const client = new RedisStreamsClient({ redisUrl, keyPrefix, clientName: 'bench' });
  await client.connect();
  try {
    handled.count = 0;
    const actor = serviceActor('jobs');
    const throughput = await measureThroughput(
      'ScriptRipper transport: publishBatch -> consumer group -> handler -> XACK',
      events,
      async () => {
        for (let sent = 0; sent < events; sent += 100) {
          const batch = Array.from({ length: Math.min(100, events - sent) }, (_, i) =>
            createEnvelope('BenchHappened', { ...PAYLOAD, n: sent + i }, { actor }),
          );
          await publisher.publishBatch('events:bench', batch);
        }
        await waitFor(() => handled.count >= events, 120_000, 'transport events');
        await waitUntilAllAcked(redisUrl, `${keyPrefix}events:bench`);
      },
    );
    const latency = await measureLatency(
      'ScriptRipper transport: client.send -> @MessagePattern -> reply',
      calls,
      async () => {
        await lastValueFrom(client.send('bench.echo', PAYLOAD));
      },
    );
    return { throughput, latency };
  } finally {
    await client.close();
    await publisher.close();
    await server.close();
  }
}

/** Handled is not done: the figure counts a message only once its XACK went through. */
async function waitUntilAllAcked(redisUrl: string, stream: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    for (;;) {
      const [pending] = (await redis.xpending(stream, 'bench')) as [number];
      if (Number(pending) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    redis.disconnect();
  }
}
