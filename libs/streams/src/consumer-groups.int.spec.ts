import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { serviceActor } from '@scriptripper/contracts';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { createEnvelope } from './envelope';
import { RedisStreamsContext } from './redis-streams.context';
import { StreamPublisher } from './stream-publisher';
import {
  counterValue,
  openRedis,
  Probe,
  startService,
  testServerOptions,
  waitFor,
  type RunningService,
} from './testing-fixtures/test-service';

@Controller()
class JobEventsController {
  constructor(@Inject(Probe) private readonly probe: Probe) {}

  @EventPattern('JobQueued')
  queued(@Payload() data: { n: number }, @Ctx() context: RedisStreamsContext) {
    this.probe.handled.push({
      type: 'JobQueued',
      data,
      deliveries: context.getDeliveries(),
      consumer: this.probe.state.get('consumer') as string,
    });
  }

  /** Fails while `failuresLeft` > 0, then succeeds. */
  @EventPattern('JobFlaky')
  async flaky(@Payload() data: unknown, @Ctx() context: RedisStreamsContext) {
    this.probe.handled.push({ type: 'JobFlaky', data, deliveries: context.getDeliveries() });
    const failuresLeft = this.probe.state.get('failuresLeft') as number;
    if (failuresLeft > 0) {
      this.probe.state.set('failuresLeft', failuresLeft - 1);
      throw new Error('database is busy');
    }
  }
}

describe('RedisStreamsServer consumer groups', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('streams-groups');
  const running: RunningService[] = [];
  let publisher: StreamPublisher;
  let redis: Redis;

  const start = async (service: string, probe: Probe, consumer: string, stream: string) => {
    probe.state.set('consumer', consumer);
    const started = await startService(
      JobEventsController,
      probe,
      testServerOptions({ redisUrl, keyPrefix, service, consumer, streams: [stream] }),
    );
    running.push(started);
    return started;
  };
  const publish = (stream: string, count: number, type = 'JobQueued') =>
    publisher.publishBatch(
      stream,
      Array.from({ length: count }, (_, n) => createEnvelope(type, { n }, { actor: serviceActor('jobs') })),
    );

  beforeAll(() => {
    publisher = new StreamPublisher({ redisUrl, keyPrefix });
    redis = openRedis(redisUrl);
  });

  afterEach(async () => {
    for (const service of running.splice(0)) await service.app.close();
  });

  afterAll(async () => {
    await publisher.close();
    await redis.quit();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  it('shares a group among instances: each event is handled exactly once, by one of them', async () => {
    const probe = new Probe();
    const probeB = Object.assign(new Probe(), { handled: probe.handled });
    await start('workers', probe, 'worker-a', 'events:jobs');
    await start('workers', probeB, 'worker-b', 'events:jobs');

    await publish('events:jobs', 200);
    await waitFor(() => probe.handled.length >= 200, '200 handled events');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const numbers = probe.handled.map((h) => (h.data as { n: number }).n).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, n) => n));
    const byConsumer = new Set(probe.handled.map((h) => h.consumer));
    expect(byConsumer).toEqual(new Set(['worker-a', 'worker-b']));
    await waitFor(
      async () => ((await redis.xpending(`${keyPrefix}events:jobs`, 'workers')) as [number])[0] === 0,
      'nothing pending',
    );
  });

  it('lets every group see every event', async () => {
    const auditProbe = new Probe();
    const projectionProbe = new Probe();
    await start('audit', auditProbe, 'audit-1', 'events:profiles');
    await start('projection', projectionProbe, 'projection-1', 'events:profiles');
    const ids = await publish('events:profiles', 20);

    await waitFor(() => auditProbe.handled.length >= 20, 'audit sees all');
    await waitFor(() => projectionProbe.handled.length >= 20, 'projection sees all');
    expect(ids).toHaveLength(20);
    const numbers = (probe: Probe) => probe.handled.map((h) => (h.data as { n: number }).n);
    expect(numbers(auditProbe)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(numbers(projectionProbe)).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it('retries a failing handler and acks only after it succeeded', async () => {
    const probe = new Probe();
    probe.state.set('failuresLeft', 2);
    const { registry } = await start('retrier', probe, 'retrier-1', 'events:artifacts');
    const [id] = await publish('events:artifacts', 1, 'JobFlaky');

    await waitFor(
      async () => (await counterValue(registry, 'acked_total', 'events:artifacts')) >= 1,
      'the flaky event to be acked',
    );
    const flaky = probe.handled.filter((h) => h.type === 'JobFlaky');
    expect(flaky.map((h) => h.deliveries)).toEqual([1, 2, 3]);
    expect(await counterValue(registry, 'retried_total', 'events:artifacts')).toBe(2);
    expect(await redis.xpending(`${keyPrefix}events:artifacts`, 'retrier', '-', '+', 10)).toEqual([]);
    expect(id).toMatch(/^\d+-\d+$/);
  });
});
