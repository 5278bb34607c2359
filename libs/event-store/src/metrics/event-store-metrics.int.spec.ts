import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { OutboxRelay } from '../relay/outbox-relay';
import { ConcurrencyConflictError } from '../store/concurrency-conflict.error';
import { EventStore } from '../store/event-store';
import {
  createEventStoreFixture,
  createRedisSinkFixture,
  eventually,
  testContext,
  type EventStoreFixture,
  type RedisSinkFixture,
} from '../test-support/event-store-fixture';

/** The value of one sample of the global registry's metric `name` whose labels include `labels`. */
async function sample(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await register.getSingleMetric(name)?.get();
  return metric?.values.find((value) =>
    Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
  )?.value;
}

describe('event store metrics', () => {
  let fixture: EventStoreFixture;
  let redis: RedisSinkFixture;

  beforeAll(async () => {
    fixture = await createEventStoreFixture('es_metrics');
    redis = createRedisSinkFixture('es_metrics');
  });

  afterAll(async () => {
    await redis?.close();
    await fixture?.close();
  });

  const append = (
    store: EventStore,
    streamId = `thing-${randomUUID()}`,
    expectedVersion: 'no-stream' | number = 'no-stream',
  ) =>
    store.append({
      streamId,
      streamType: 'thing',
      expectedVersion,
      events: [{ type: 'ThingCreated', data: {} }],
      context: testContext,
      outbox: [{ destination: 'events:metrics', event: 0 }],
    });

  it('times every append by service and outcome, conflicts apart', async () => {
    const orm = await fixture.openSchema('metered');
    const store = new EventStore(orm.em);
    const count = (outcome: string) =>
      sample('scriptripper_event_store_append_duration_seconds', { service: 'metered', outcome, le: '+Inf' });

    await append(store, 'thing-1');
    await append(store);
    await expect(append(store, 'thing-1')).rejects.toBeInstanceOf(ConcurrencyConflictError);

    expect(await count('ok')).toBe(2);
    expect(await count('conflict')).toBe(1);
  });

  it('reports the relay lag (rows not yet published and the age of the oldest) while the relay runs', async () => {
    const orm = await fixture.openSchema('lagging');
    const store = new EventStore(orm.em);
    const sink = redis.createSink('lag');
    // A relay that cannot publish: its rows stay due, so the lag can only grow.
    const stuck = new OutboxRelay({
      em: orm.em,
      name: 'lagging',
      publisher: {
        ...sink,
        publishBatch: () => Promise.reject(new Error('Redis is away')),
        currentEpoch: () => sink.currentEpoch(),
      },
      pollIntervalMs: 10,
      onError: () => undefined,
    });
    const unpublished = () => sample('scriptripper_outbox_unpublished_messages', { service: 'lagging' });
    const age = () => sample('scriptripper_outbox_oldest_unpublished_age_seconds', { service: 'lagging' });

    expect(await unpublished()).toBeUndefined();
    stuck.start();
    try {
      expect(await unpublished()).toBe(0);
      expect(await age()).toBe(0);
      await append(store);
      await append(store);
      expect(await unpublished()).toBe(2);
      await eventually('the oldest row to age', async () => ((await age()) ?? 0) > 0);
    } finally {
      await stuck.stop();
    }
    expect(await unpublished()).toBeUndefined();

    const relay = new OutboxRelay({ em: orm.em, name: 'lagging', publisher: sink, pollIntervalMs: 10 });
    relay.start();
    try {
      await eventually('the relay to catch up', async () => (await unpublished()) === 0);
      expect(await age()).toBe(0);
    } finally {
      await relay.stop();
    }
  });
});
