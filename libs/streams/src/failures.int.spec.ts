import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { firstValueFrom, take, toArray } from 'rxjs';
import { serviceActor } from '@scriptripper/contracts';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { DeadLetters } from './dead-letters';
import { createEnvelope } from './envelope';
import { StreamFanoutReader } from './fanout-reader';
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
import type { RedisStreamsServerOptions } from './redis-streams.options';

@Controller()
class WorkController {
  constructor(@Inject(Probe) private readonly probe: Probe) {}

  @EventPattern('Poison')
  poison(@Payload() data: unknown, @Ctx() context: RedisStreamsContext) {
    this.probe.handled.push({ type: 'Poison', data, deliveries: context.getDeliveries() });
    if (this.probe.state.get('poisoned') !== false) throw new Error('cannot parse transcript');
  }

  @EventPattern('Work')
  work(@Payload() data: unknown, @Ctx() context: RedisStreamsContext) {
    this.probe.handled.push({ type: 'Work', data, deliveries: context.getDeliveries() });
  }

  /** Holds until the test opens the gate: the entry stays pending meanwhile. */
  @EventPattern('Hold')
  async hold(@Payload() data: unknown) {
    this.probe.handled.push({ type: 'Hold', data, deliveries: 1 });
    await (this.probe.state.get('gate') as Promise<void>);
  }

  @EventPattern('Slow')
  async slow(@Payload() data: unknown) {
    this.probe.state.set('slowStarted', true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    this.probe.handled.push({ type: 'Slow', data, deliveries: 1 });
  }
}

describe('RedisStreamsServer failure handling', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('streams-failures');
  const running: RunningService[] = [];
  let publisher: StreamPublisher;
  let deadLetters: DeadLetters;
  let redis: Redis;

  const start = async (stream: string, probe: Probe, overrides: Partial<RedisStreamsServerOptions> = {}) => {
    const started = await startService(
      WorkController,
      probe,
      testServerOptions({ redisUrl, keyPrefix, service: 'worker', streams: [stream], ...overrides }),
    );
    running.push(started);
    return started;
  };
  const publish = (stream: string, type: string, data: unknown = {}) =>
    publisher.publish(stream, createEnvelope(type, data, { actor: serviceActor('jobs') }));
  const pendingCount = async (stream: string, group = 'worker') =>
    ((await redis.xpending(keyPrefix + stream, group)) as [number])[0];
  /** A consumer that reads an entry and then dies without acking it. */
  const deadConsumerTakes = async (stream: string, consumer = 'ghost') => {
    await redis.xgroup('CREATE', keyPrefix + stream, 'worker', '0', 'MKSTREAM').catch(() => undefined);
    await redis.xreadgroup('GROUP', 'worker', consumer, 'COUNT', 10, 'STREAMS', keyPrefix + stream, '>');
  };

  beforeAll(() => {
    publisher = new StreamPublisher({ redisUrl, keyPrefix });
    redis = openRedis(redisUrl);
    deadLetters = new DeadLetters(redis, keyPrefix);
  });

  afterEach(async () => {
    for (const service of running.splice(0)) await service.app.close();
  });

  afterAll(async () => {
    await publisher.close();
    await redis.quit();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  it('moves a poison message to dlq:<stream> after maxDeliveries, with its error and attempts, and replays it', async () => {
    const probe = new Probe();
    const { registry } = await start('work:poison', probe);
    const id = await publish('work:poison', 'Poison', { jobId: 'p1' });

    await waitFor(async () => (await deadLetters.list('work:poison')).length === 1, 'the dead letter');
    const [letter] = await deadLetters.list('work:poison');
    expect(letter).toMatchObject({
      stream: 'work:poison',
      group: 'worker',
      messageId: id,
      attempts: 5,
      error: { code: 'INTERNAL', message: 'cannot parse transcript', retryable: false },
    });
    expect(letter?.reason).toContain('cannot parse transcript');
    expect(probe.handled.map((h) => h.deliveries)).toEqual([1, 2, 3, 4, 5]);
    expect(await pendingCount('work:poison')).toBe(0);
    expect(await counterValue(registry, 'dead_lettered_total', 'work:poison')).toBe(1);
    expect(await counterValue(registry, 'retried_total', 'work:poison')).toBe(4);

    probe.state.set('poisoned', false);
    await deadLetters.replay('work:poison', letter?.deadLetterId as string);
    await waitFor(() => probe.handled.length === 6, 'the replayed message');
    expect(await deadLetters.list('work:poison')).toEqual([]);
    await waitFor(async () => (await pendingCount('work:poison')) === 0, 'the replay acked');
  });

  it('dead-letters malformed entries with the reason and acks them', async () => {
    await start('work:garbage', new Probe());
    await redis.xadd(`${keyPrefix}work:garbage`, '*', 'envelope', '{not json');
    await redis.xadd(`${keyPrefix}work:garbage`, '*', 'something', 'else');
    await redis.xadd(`${keyPrefix}work:garbage`, '*', 'envelope', JSON.stringify({ id: 'x', type: 'Work' }));

    await waitFor(async () => (await deadLetters.list('work:garbage')).length === 3, 'three dead letters');
    const reasons = (await deadLetters.list('work:garbage')).map((letter) => letter.reason);
    expect(reasons).toEqual([
      'Malformed message: not valid JSON',
      'Malformed message: entry has no "envelope" field',
      'Malformed message: correlationId must be a non-empty string',
    ]);
    expect(await pendingCount('work:garbage')).toBe(0);
  });

  it('acks events of types this service does not handle and counts them as ignored', async () => {
    const { registry } = await start('work:mixed', new Probe());
    await publish('work:mixed', 'SomethingElse');
    await waitFor(
      async () => (await counterValue(registry, 'ignored_total', 'work:mixed')) === 1,
      'the ignored event',
    );
    expect(await pendingCount('work:mixed')).toBe(0);
  });

  it('takes over the pending entries of a dead consumer once they are idle', async () => {
    await publish('work:orphan', 'Work', { n: 1 });
    await deadConsumerTakes('work:orphan');
    const probe = new Probe();
    await start('work:orphan', probe);

    await waitFor(() => probe.handled.length === 1, 'the orphaned entry');
    expect(probe.handled[0]).toMatchObject({ data: { n: 1 }, deliveries: 2 });
    await waitFor(async () => (await pendingCount('work:orphan')) === 0, 'the entry acked');
  });

  it('dead-letters a claimed entry over the delivery limit and one deleted before processing', async () => {
    const stream = 'work:limits';
    const overused = await publish(stream, 'Work', { n: 'overused' });
    const deleted = await publish(stream, 'Work', { n: 'deleted' });
    await deadConsumerTakes(stream);
    // Crashes of earlier consumers are visible as the delivery counter.
    for (let claim = 0; claim < 5; claim += 1) {
      await redis.xclaim(keyPrefix + stream, 'worker', 'ghost', 0, overused);
    }
    await redis.xdel(keyPrefix + stream, deleted);
    const probe = new Probe();
    await start(stream, probe);

    await waitFor(async () => (await deadLetters.list(stream)).length === 2, 'two dead letters');
    const letters = await deadLetters.list(stream);
    expect(letters.find((letter) => letter.messageId === overused)).toMatchObject({
      reason: 'delivery limit reached',
      error: null,
      attempts: 6,
    });
    expect(letters.find((letter) => letter.messageId === deleted)).toMatchObject({
      reason: 'entry deleted from the stream before it was processed',
      fields: null,
    });
    expect(probe.handled).toEqual([]);
    expect(await pendingCount(stream)).toBe(0);
  });

  it('trims processed entries by MINID and keeps pending and undelivered ones', async () => {
    const stream = 'work:trim';
    const key = keyPrefix + stream;
    let openGate: () => void = () => undefined;
    const probe = new Probe();
    probe.state.set('gate', new Promise<void>((resolve) => (openGate = resolve)));
    await start(stream, probe, { trim: { maxLength: 100, intervalMs: 100 } });

    const batch = (n: number) =>
      publisher.publishBatch(
        stream,
        Array.from({ length: n }, (_, i) => createEnvelope('Work', { i })),
      );
    const early = await batch(300);
    await waitFor(() => probe.handled.length === 300, 'the early entries');
    const held = await publish(stream, 'Hold');
    await waitFor(() => probe.handled.some((h) => h.type === 'Hold'), 'the held entry to start');
    const later = await batch(150);
    // A group that has not read the last 50 entries yet.
    await redis.xgroup('CREATE', key, 'late', later[99] as string);

    await waitFor(async () => (await redis.xlen(key)) < 451, 'the stream to be trimmed');
    const remaining = (await redis.xrange(key, '-', '+')).map(([id]) => id);
    expect(remaining).toContain(held);
    expect(remaining).toEqual(expect.arrayContaining(later));
    expect(remaining).not.toContain(early[0]);
    expect(await redis.xrange(key, held, held)).toHaveLength(1);

    openGate();
    await waitFor(async () => (await pendingCount(stream)) === 0, 'the held entry acked');
  });

  it('finishes a running handler on close and acks its entry before close resolves', async () => {
    const probe = new Probe();
    const service = await start('work:shutdown', probe);
    running.splice(running.indexOf(service), 1);
    await publish('work:shutdown', 'Slow');
    await waitFor(() => probe.state.get('slowStarted') === true, 'the slow handler to start');

    await service.app.close();
    expect(probe.handled.map((h) => h.type)).toEqual(['Slow']);
    expect(await pendingCount('work:shutdown')).toBe(0);
  });

  it('reports pending and lag per stream and group through the metrics registry', async () => {
    const stream = 'work:gauges';
    let openGate: () => void = () => undefined;
    const probe = new Probe();
    probe.state.set('gate', new Promise<void>((resolve) => (openGate = resolve)));
    const { registry } = await start(stream, probe);
    await publish(stream, 'Hold');
    await waitFor(() => probe.handled.length === 1, 'the held entry');

    const pending = await registry.getSingleMetric('scriptripper_stream_pending')?.get();
    expect(pending?.values).toContainEqual({ labels: { stream, group: 'worker' }, value: 1 });
    const lag = await registry.getSingleMetric('scriptripper_stream_lag')?.get();
    expect(lag?.values).toContainEqual({ labels: { stream, group: 'worker' }, value: 0 });
    expect(await counterValue(registry, 'delivered_total', stream)).toBe(1);
    openGate();
    await waitFor(async () => (await counterValue(registry, 'acked_total', stream)) === 1, 'the ack');
  });

  it('deletes consumers that are idle and hold nothing', async () => {
    const stream = 'work:consumers';
    await redis.xgroup('CREATE', keyPrefix + stream, 'worker', '0', 'MKSTREAM');
    await redis.xgroup('CREATECONSUMER', keyPrefix + stream, 'worker', 'gone-instance');
    const probe = new Probe();
    await start(stream, probe, {
      retireConsumersAfterMs: 2_000,
      trim: { maxLength: 1_000, intervalMs: 200 },
    });

    const names = async () =>
      ((await redis.xinfo('CONSUMERS', keyPrefix + stream, 'worker')) as string[][]).map((c) => c[1]);
    expect(await names()).toContain('gone-instance');
    await waitFor(async () => !(await names()).includes('gone-instance'), 'the idle consumer to go');
    await publish(stream, 'Work', { after: true });
    await waitFor(() => probe.handled.length === 1, 'work after the clean-up');
  });

  it('lets every fan-out reader see every new event, without a group', async () => {
    const stream = 'events:fanout';
    await publish(stream, 'Work', { before: true });
    const readers = [1, 2].map(
      () => new StreamFanoutReader({ redisUrl, keyPrefix, streams: [stream], blockMs: 200 }),
    );
    await Promise.all(readers.map((reader) => reader.start()));
    const received = readers.map((reader) => firstValueFrom(reader.messages$.pipe(take(2), toArray())));

    await publish(stream, 'Work', { n: 1 });
    await publish(stream, 'Work', { n: 2 });
    for (const messages of await Promise.all(received)) {
      expect(messages.map((m) => m.envelope.data)).toEqual([{ n: 1 }, { n: 2 }]);
    }
    await Promise.all(readers.map((reader) => reader.close()));
    expect(await redis.xinfo('GROUPS', keyPrefix + stream)).toEqual([]);
  });
});
