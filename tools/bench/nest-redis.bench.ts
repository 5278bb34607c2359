/**
 * Nest's built-in Redis transport (pub/sub) doing the same work: the figure users would
 * get from the stock transport, which has no consumer groups, acks, retries or dead letters
 * (a message published while no one listens is gone).
 */
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientProxyFactory,
  EventPattern,
  MessagePattern,
  Transport,
  type ClientProxy,
} from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { measureLatency, measureThroughput, waitFor, type Latency, type Throughput } from './measure';
import { PAYLOAD } from './raw-redis.bench';

const received = { count: 0 };
let channel = 'bench';

@Controller()
class NestRedisBenchController {
  @EventPattern({ bench: 'event' })
  onEvent(): void {
    received.count++;
  }

  @MessagePattern({ bench: 'echo' })
  echo(data: unknown): unknown {
    return data;
  }
}

@Module({ controllers: [NestRedisBenchController] })
class NestRedisBenchModule {}

export async function nestRedisFigures(
  redisUrl: string,
  prefix: string,
  events: number,
  calls: number,
): Promise<{ throughput: Throughput; latency: Latency }> {
  channel = `${prefix}nest`;
  const url = new URL(redisUrl);
  const options = { host: url.hostname, port: Number(url.port || 6379) };
  const server: INestMicroservice = await NestFactory.createMicroservice(NestRedisBenchModule, {
    transport: Transport.REDIS,
    options,
    logger: false,
  });
  await server.listen();
  const client: ClientProxy = ClientProxyFactory.create({ transport: Transport.REDIS, options });
  await client.connect();
  try {
    received.count = 0;
    const throughput = await measureThroughput(
      "Nest's Redis transport (pub/sub) emit -> handle",
      events,
      async () => {
        for (let i = 0; i < events; i++) client.emit({ bench: 'event' }, { ...PAYLOAD, n: i, channel });
        await waitFor(() => received.count >= events, 60_000, 'Nest Redis events');
      },
    );
    const latency = await measureLatency(
      "Nest's Redis transport (pub/sub) request/reply",
      calls,
      async () => {
        await lastValueFrom(client.send({ bench: 'echo' }, PAYLOAD));
      },
    );
    return { throughput, latency };
  } finally {
    await client.close();
    await server.close();
  }
}
