import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { MessageEnvelope } from '@scriptripper/contracts';
import { Client } from 'pg';
import { EventStore } from '../store/event-store';
import {
  createEventStoreFixture,
  createRedisSinkFixture,
  eventually,
  testContext,
  type EventStoreFixture,
  type RedisSinkFixture,
} from '../test-support/event-store-fixture';
import type { RedisStreamSink } from '../test-support/redis-stream-sink';
import type { OutboxPublisher } from './outbox-publisher';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';

describe('OutboxRelay', () => {
  let fixture: EventStoreFixture;
  let redis: RedisSinkFixture;
  const clients: Client[] = [];

  beforeAll(async () => {
    fixture = await createEventStoreFixture('es_relay');
    redis = createRedisSinkFixture('es_relay');
  });

  afterAll(async () => {
    for (const client of clients) await client.end();
    await redis?.close();
    await fixture?.close();
  });

  function relayFor(orm: MikroORM, publisher: OutboxPublisher, options: Partial<OutboxRelayOptions> = {}) {
    return new OutboxRelay({
      em: orm.em,
      name: 'jobs-relay',
      publisher,
      batchSize: 100,
      pollIntervalMs: 10,
      ...options,
    });
  }

  /** Appends `count` one-event streams, each event with an outbox row to `events:jobs`; returns their message ids. */
  async function appendThings(orm: MikroORM, count: number, label = 'thing'): Promise<string[]> {
    const store = new EventStore(orm.em);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const [event] = await store.append({
        streamId: `${label}-${randomUUID()}`,
        streamType: 'thing',
        expectedVersion: 'no-stream',
        events: [{ type: 'ThingCreated', data: { i } }],
        context: testContext,
        outbox: [{ destination: 'events:jobs', event: 0 }],
      });
      ids.push(event?.metadata.messageId as string);
    }
    return ids;
  }

  /** Runs the relay until it has published `count` rows in total (other transactions in the cluster may delay it). */
  async function drain(relay: OutboxRelay, count: number): Promise<void> {
    let published = 0;
    await eventually(`the relay published ${count} rows`, async () => {
      published += (await relay.runOnce()).published;
      return published >= count;
    });
    expect(published).toBe(count);
  }

  async function connect(): Promise<Client> {
    const client = new Client({ connectionString: fixture.database.url });
    await client.connect();
    clients.push(client);
    return client;
  }

  const ids = (envelopes: readonly MessageEnvelope[]) => envelopes.map((envelope) => envelope.id);

  it('publishes outbox rows to their streams in order, then has nothing left to publish', async () => {
    const orm = await fixture.openSchema('relay_basic');
    const sink = redis.createSink('basic');
    const store = new EventStore(orm.em);
    const recorded = await store.append({
      streamId: 'thing-1',
      streamType: 'thing',
      expectedVersion: 'no-stream',
      events: ['a', 'b', 'c'].map((name) => ({ type: 'ThingRenamed', data: { name } })),
      context: testContext,
      outbox: [
        { destination: 'events:jobs', event: 0 },
        { destination: 'work:analysis', event: 1 },
        { destination: 'events:jobs', event: 2 },
      ],
    });
    const relay = relayFor(orm, sink);

    await drain(relay, 3);

    const messageIds = recorded.map((event) => event.metadata.messageId);
    expect(ids(await sink.read('events:jobs'))).toEqual([messageIds[0], messageIds[2]]);
    expect(await sink.read('work:analysis')).toEqual([
      expect.objectContaining({
        id: messageIds[1],
        type: 'ThingRenamed',
        data: { name: 'b' },
        correlationId: 'correlation-1',
      }),
    ]);
    expect(await relay.runOnce()).toEqual({ published: 0, busy: false, epochChanged: false });
  });

  it('never skips a row whose transaction commits after a later-numbered one', async () => {
    const orm = await fixture.openSchema('relay_order');
    const sink = redis.createSink('order');
    const relay = relayFor(orm, sink);
    const [clientA, clientB] = [await connect(), await connect()];
    const insert = (client: Client, id: string) =>
      client.query(
        `insert into relay_order.outbox (message_id, destination, envelope) values ($1, 'events:jobs', $2)
         returning position`,
        [id, JSON.stringify({ id, type: 'ThingCreated', data: {} })],
      );
    const [idA, idB] = [randomUUID(), randomUUID()];

    await clientA.query('begin');
    const positionA = Number((await insert(clientA, idA)).rows[0].position);
    await clientB.query('begin');
    const positionB = Number((await insert(clientB, idB)).rows[0].position);
    await clientB.query('commit');
    expect(positionA).toBeLessThan(positionB);

    // B is committed and visible, but publishing it now would move the checkpoint past A.
    expect(await relay.runOnce()).toMatchObject({ published: 0 });
    expect(await sink.read('events:jobs')).toEqual([]);

    await clientA.query('commit');
    await drain(relay, 2);
    expect(ids(await sink.read('events:jobs'))).toEqual([idA, idB]);
  });

  it('continues from its checkpoint in Postgres when a new instance takes over', async () => {
    const orm = await fixture.openSchema('relay_restart');
    const sink = redis.createSink('restart');
    const first = await appendThings(orm, 5);
    await drain(relayFor(orm, sink, { batchSize: 2 }), 5);

    const second = await appendThings(orm, 3);
    await drain(relayFor(orm, sink, { batchSize: 2 }), 3);

    expect(ids(await sink.read('events:jobs'))).toEqual([...first, ...second]);
  });

  it('republishes the retained window when Redis lost its data, and records the new epoch', async () => {
    const orm = await fixture.openSchema('relay_epoch');
    const sink = redis.createSink('epoch');
    const relay = relayFor(orm, sink, { republishWindowMs: 7 * 24 * 3600 * 1000 });
    const old = await appendThings(orm, 2, 'old');
    const recent = await appendThings(orm, 2, 'recent');
    await drain(relay, 4);
    await orm.em.execute(
      `update relay_epoch.outbox set created_at = now() - interval '8 days' where message_id in (?)`,
      [old],
    );

    await redis.forget(sink);
    const epoch = await sink.currentEpoch();
    const run = await relay.runOnce();

    expect(run.epochChanged).toBe(true);
    await eventually('the window is republished', async () => {
      const published = ids(await sink.read('events:jobs'));
      if (published.length < 2) await relay.runOnce();
      return published.length >= 2 && published;
    });
    expect(ids(await sink.read('events:jobs'))).toEqual(recent);
    const [checkpoint] = await orm.em.execute<{ epoch: string }[]>(
      `select epoch from relay_epoch.outbox_checkpoint where name = 'jobs-relay'`,
    );
    expect(checkpoint?.epoch).toBe(epoch);
    expect(await relay.runOnce()).toEqual({ published: 0, busy: false, epochChanged: false });
  });

  it('keeps its checkpoint when Redis refuses a batch, so the next run publishes the same rows', async () => {
    const orm = await fixture.openSchema('relay_refused');
    const sink = redis.createSink('refused');
    const messageIds = await appendThings(orm, 2);
    const refusing: OutboxPublisher = {
      publishBatch: async () => {
        throw new Error('redis refused the batch');
      },
      currentEpoch: () => sink.currentEpoch(),
    };

    await eventually('the refusing publisher was called', async () => {
      try {
        await relayFor(orm, refusing).runOnce();
        return false;
      } catch (error) {
        return error instanceof Error && error.message === 'redis refused the batch';
      }
    });
    await drain(relayFor(orm, sink), 2);

    expect(ids(await sink.read('events:jobs'))).toEqual(messageIds);
  });

  it('lets only one instance of a relay publish at a time', async () => {
    const orm = await fixture.openSchema('relay_turns');
    const sink = redis.createSink('turns');
    const gate = new GatedPublisher(sink);
    const [relayA, relayB] = [relayFor(orm, gate), relayFor(orm, sink)];
    await appendThings(orm, 1);

    let runA: Promise<unknown> | undefined;
    await eventually('relay A is publishing', async () => {
      const entered = gate.nextEntry();
      const run = relayA.runOnce();
      const first = await Promise.race([entered.then(() => 'entered'), run.then(() => 'done')]);
      if (first === 'entered') runA = run;
      return first === 'entered';
    });

    expect(await relayB.runOnce()).toEqual({ published: 0, busy: true, epochChanged: false });
    gate.release();
    await runA;
    expect(await relayB.runOnce()).toMatchObject({ published: 0, busy: false });
    expect(await sink.read('events:jobs')).toHaveLength(1);
  });

  it('publishes every row exactly once and in order with two instances polling while appends run', async () => {
    const orm = await fixture.openSchema('relay_pair');
    const sink = redis.createSink('pair');
    const relays = [relayFor(orm, sink, { batchSize: 3 }), relayFor(orm, sink, { batchSize: 3 })];
    relays.forEach((relay) => relay.start());

    await Promise.all(Array.from({ length: 6 }, (_, i) => appendThings(orm, 5, `writer${i}`)));
    await eventually('all 30 rows are published', async () => (await sink.read('events:jobs')).length >= 30);
    await Promise.all(relays.map((relay) => relay.stop()));

    const expected = await orm.em.execute<{ message_id: string }[]>(
      'select message_id from relay_pair.outbox order by transaction_id, position',
    );
    expect(ids(await sink.read('events:jobs'))).toEqual(expected.map((row) => row.message_id));
  });

  it('prunes only rows that are older than the cutoff and already published', async () => {
    const orm = await fixture.openSchema('relay_prune');
    const sink = redis.createSink('prune');
    const relay = relayFor(orm, sink);
    await appendThings(orm, 3);
    await drain(relay, 3);
    const [unpublished] = await appendThings(orm, 1);
    await orm.em.execute(`update relay_prune.outbox set created_at = now() - interval '10 days'`);

    expect(await relay.pruneOutbox(new Date(Date.now() - 7 * 24 * 3600 * 1000))).toBe(3);

    await drain(relay, 1);
    expect(ids(await sink.read('events:jobs')).at(-1)).toBe(unpublished);
  });
});

/** Holds publishing open until released, so a test can act while a relay is mid-batch. */
class GatedPublisher implements OutboxPublisher {
  private entered: (() => void) | undefined;
  private released: Promise<void>;
  private releaseGate: () => void = () => undefined;

  constructor(private readonly sink: RedisStreamSink) {
    this.released = new Promise((resolve) => (this.releaseGate = resolve));
  }

  nextEntry(): Promise<void> {
    return new Promise((resolve) => (this.entered = resolve));
  }

  release(): void {
    this.releaseGate();
  }

  async publishBatch(destination: string, envelopes: readonly MessageEnvelope[]): Promise<unknown> {
    this.entered?.();
    await this.released;
    return this.sink.publishBatch(destination, envelopes);
  }

  currentEpoch(): Promise<string> {
    return this.sink.currentEpoch();
  }
}
