import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import type Redis from 'ioredis';
import type { Actor } from '@scriptripper/contracts';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { withContext } from './envelope';
import { RpcRemoteError, RpcTimeoutError } from './errors';
import { RedisStreamsClient } from './redis-streams.client';
import { RedisStreamsContext } from './redis-streams.context';
import {
  openRedis,
  Probe,
  startService,
  testServerOptions,
  waitFor,
  type RunningService,
} from './testing-fixtures/test-service';

@Controller()
class JobsController {
  constructor(@Inject(Probe) private readonly probe: Probe) {}

  @MessagePattern('jobs.create')
  create(@Payload() data: { title: string }, @Ctx() context: RedisStreamsContext) {
    const envelope = context.getEnvelope();
    return { jobId: `job-${data.title}`, actorId: envelope.actor.id, correlationId: envelope.correlationId };
  }

  @MessagePattern('jobs.conflict')
  conflict() {
    throw new RpcException({ code: 'CONFLICT', message: 'job already exists', retryable: false });
  }

  @MessagePattern('jobs.crash')
  async crash(): Promise<never> {
    throw new Error('database exploded');
  }

  @MessagePattern('jobs.slow')
  async slow(@Payload() data: { ms: number }) {
    await new Promise((resolve) => setTimeout(resolve, data.ms));
    return 'late';
  }

  @EventPattern('JobCreated')
  created(@Payload() data: unknown, @Ctx() context: RedisStreamsContext) {
    this.probe.handled.push({ type: 'JobCreated', data, deliveries: context.getDeliveries() });
  }
}

const actor: Actor = { id: 'user-1', role: 'user', scopes: ['jobs:write'] };

describe('RedisStreamsClient request/reply', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('streams-rpc');
  const probe = new Probe();
  let service: RunningService;
  let client: RedisStreamsClient;
  let redis: Redis;

  beforeAll(async () => {
    service = await startService(
      JobsController,
      probe,
      testServerOptions({ redisUrl, keyPrefix, service: 'jobs', streams: ['events:jobs'] }),
    );
    client = new RedisStreamsClient({
      redisUrl,
      keyPrefix,
      clientName: 'gateway',
      replyTimeoutMs: 5_000,
      routeEvent: () => 'events:jobs',
    });
    redis = openRedis(redisUrl);
  });

  afterAll(async () => {
    await client.close();
    await service.app.close();
    await redis.quit();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  it('answers a request with the handler result and passes the caller context in the envelope', async () => {
    const reply = await lastValueFrom(
      client.send('jobs.create', withContext({ actor, correlationId: 'corr-42' }, { title: 'a' })),
    );
    expect(reply).toEqual({ jobId: 'job-a', actorId: 'user-1', correlationId: 'corr-42' });
  });

  it('passes an RpcException payload to the caller as code, message and retryable', async () => {
    const error = await firstValueFrom(client.send('jobs.conflict', {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect(error).toMatchObject({ code: 'CONFLICT', message: 'job already exists', retryable: false });
  });

  it('reports an unknown handler error as INTERNAL with its message and no stack', async () => {
    const error = await firstValueFrom(client.send('jobs.crash', {})).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INTERNAL', message: 'database exploded', retryable: false });
    expect((error as Error).message).not.toContain(' at ');
  });

  it('fails with a retryable RPC_TIMEOUT when the handler answers too late', async () => {
    const error = await firstValueFrom(
      client.send('jobs.slow', withContext({ timeoutMs: 150 }, { ms: 1_000 })),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(error).toMatchObject({ code: 'RPC_TIMEOUT', retryable: true });
  });

  it('fails with RPC_TIMEOUT when no server consumes the pattern', async () => {
    const error = await firstValueFrom(client.send('nobody.ping', withContext({ timeoutMs: 200 }, {}))).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'RPC_TIMEOUT', retryable: true });
  });

  it('acks a request whose deadline passed without running it', async () => {
    const registryBefore = await expiredCount(service);
    const id = await redis.xadd(
      `${keyPrefix}rpc:jobs`,
      '*',
      'envelope',
      JSON.stringify({
        id: 'expired-1',
        type: 'jobs.create',
        correlationId: 'c',
        causationId: null,
        actor,
        occurredAt: new Date().toISOString(),
        schemaVersion: 1,
        traceparent: null,
        data: { title: 'x' },
      }),
      'replyTo',
      'reply:nobody',
      'deadline',
      String(Date.now() - 1_000),
    );
    await waitFor(async () => (await expiredCount(service)) === registryBefore + 1, 'the expired request');
    expect(await redis.xpending(`${keyPrefix}rpc:jobs`, 'jobs', id as string, id as string, 1)).toEqual([]);
  });

  it('emits an event to the routed stream, where the service handles it', async () => {
    const id = await lastValueFrom(client.emit('JobCreated', withContext({ actor }, { jobId: 'j1' })));
    expect(id).toMatch(/^\d+-\d+$/);
    await waitFor(() => probe.handled.some((h) => h.type === 'JobCreated'), 'the event');
    expect(probe.handled).toContainEqual({ type: 'JobCreated', data: { jobId: 'j1' }, deliveries: 1 });
  });

  it('deletes its reply stream on close', async () => {
    const other = new RedisStreamsClient({ redisUrl, keyPrefix, clientName: 'short-lived' });
    await other.connect();
    const key = `${keyPrefix}reply:${other.clientId}`;
    expect(await redis.exists(key)).toBe(1);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    await other.close();
    expect(await redis.exists(key)).toBe(0);
  });
});

async function expiredCount(service: RunningService): Promise<number> {
  const metric = await service.registry.getSingleMetric('scriptripper_stream_expired_total')?.get();
  return (metric?.values ?? []).reduce((sum, sample) => sum + sample.value, 0);
}
