import Redis from 'ioredis';
import type { MikroORM } from '@mikro-orm/postgresql';
import { serviceActor } from '@scriptripper/contracts';
import {
  createEventStoreOrm,
  createEventStoreSchema,
  EventStore,
  OutboxRelay,
  outboxRelayStatus,
  renumberOutboxAfterRestore,
  rewindOutboxRelay,
} from '@scriptripper/event-store';
import { StreamPublisher } from '@scriptripper/streams';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { UsageError } from './ops-cli';
import { relayMain } from './relay';

/**
 * Runs the relay until its checkpoint reaches the newest outbox row; returns how many rows it
 * published. A single run may publish nothing while any transaction of the shared server is
 * open (the relay waits for older transactions to finish), so one run proves nothing.
 */
async function publishAll(orm: MikroORM, relay: OutboxRelay): Promise<number> {
  const deadline = Date.now() + 60_000;
  let published = 0;
  for (;;) {
    published += (await relay.runOnce()).published;
    const [state] = await orm.em.fork().execute<{ caught_up: boolean }[]>(
      `select coalesce((select (last_transaction_id, last_position) from jobs.outbox_checkpoint where name = 'jobs')
         >= (select (transaction_id, position) from jobs.outbox order by transaction_id desc, position desc limit 1), true) as caught_up`,
    );
    if (state?.caught_up) return published;
    if (Date.now() > deadline) throw new Error('the relay did not catch up');
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}

describe('ops relay republish', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('ops-relay');
  let database: TestDatabase;
  let orm: MikroORM;
  let redis: Redis;
  let publisher: StreamPublisher;
  let relay: OutboxRelay;
  const envelopeIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('ops_relay');
    orm = await createEventStoreOrm({ clientUrl: database.url, schema: 'jobs' });
    await createEventStoreSchema(orm);
    redis = new Redis(redisUrl);
    publisher = new StreamPublisher({ redisUrl, keyPrefix });
    relay = new OutboxRelay({ em: orm.em, name: 'jobs', publisher });
    const store = new EventStore(orm.em.fork());
    for (const n of [1, 2, 3]) {
      // Rows a few milliseconds apart, so a time picks the second row and not the first.
      if (n > 1) await orm.em.fork().execute('select pg_sleep(0.005)');
      const [recorded] = await store.append({
        streamId: `job-${n}`,
        streamType: 'job',
        expectedVersion: 'no-stream',
        events: [{ type: 'JobCreated', data: { n } }],
        context: {
          actor: serviceActor('jobs'),
          correlationId: `c-${n}`,
          causationId: null,
          traceparent: null,
        },
        outbox: [{ destination: 'events:jobs', event: 0 }],
      });
      envelopeIds.push(recorded?.metadata.messageId as string);
    }
  });

  afterAll(async () => {
    await publisher.close();
    redis.disconnect();
    await orm.close(true);
    await database.drop();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  async function publishedIds(): Promise<string[]> {
    const entries = await redis.xrange(`${keyPrefix}events:jobs`, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[1] as string).id as string);
  }

  async function outboxRows() {
    return orm.em
      .fork()
      .execute<{ transaction_id: string; position: string; created_at: Date }[]>(
        'select transaction_id::text as transaction_id, position, created_at from jobs.outbox order by transaction_id, position',
      );
  }

  it('moves the checkpoint back to a time, so the relay publishes those rows again, and only back', async () => {
    expect(await publishAll(orm, relay)).toBe(3);
    expect(await publishedIds()).toEqual(envelopeIds);
    const before = await outboxRelayStatus(orm.em, 'jobs');
    expect(before.unpublished).toBe(0);

    const rows = await outboxRows();
    const second = rows[1] as (typeof rows)[number];
    const secondAt = new Date(second.created_at);
    const dry = await rewindOutboxRelay(orm.em, {
      name: 'jobs',
      target: { since: secondAt },
      dryRun: true,
    });
    expect(dry).toMatchObject({ republish: 2, applied: false });
    expect((await outboxRelayStatus(orm.em, 'jobs')).checkpoint).toEqual(before.checkpoint);

    const done = await rewindOutboxRelay(orm.em, { name: 'jobs', target: { since: secondAt } });
    expect(done).toMatchObject({
      republish: 2,
      applied: true,
      rewoundTo: { transactionId: second.transaction_id, position: Number(second.position) - 1 },
    });
    expect((await outboxRelayStatus(orm.em, 'jobs')).checkpoint).toMatchObject(done.rewoundTo);
    expect(await publishAll(orm, relay)).toBe(2);
    expect(await publishedIds()).toEqual([...envelopeIds, envelopeIds[1], envelopeIds[2]]);

    const forward = await rewindOutboxRelay(orm.em, {
      name: 'jobs',
      target: { since: new Date(Date.now() + 3_600_000) },
    });
    expect(forward).toMatchObject({ republish: 0, applied: false });
    expect((await relay.runOnce()).published).toBe(0);
  });

  it('republishes from a row given by its transaction id and position, through its command line', async () => {
    const [first] = await outboxRows();
    const env = { DATABASE_URL: database.url };
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const from = `${first?.transaction_id}:${first?.position}`;
      expect(
        await relayMain(['republish', '--service', 'jobs', '--from-position', from, '--json'], env),
      ).toBe(0);
      expect(await relayMain(['status', '--service', 'jobs', '--json'], env)).toBe(0);
    } finally {
      write.mockRestore();
    }
    const [rewound, status] = written.map((text) => JSON.parse(text));
    expect(rewound).toMatchObject({ republish: 3, applied: true });
    expect(status).toMatchObject({ name: 'jobs', checkpoint: rewound.rewoundTo });
    expect(await publishAll(orm, relay)).toBe(3);
    expect((await publishedIds()).slice(-3)).toEqual(envelopeIds);
  });

  it('refuses a missing or unknown service and a republish without exactly one starting point', async () => {
    const env = { DATABASE_URL: database.url };
    await expect(relayMain(['status'], env)).rejects.toThrow(UsageError);
    await expect(relayMain(['status', '--service', 'gateway'], env)).rejects.toThrow(
      '--service must be one of',
    );
    await expect(relayMain(['republish', '--service', 'jobs'], env)).rejects.toThrow('exactly one');
    await expect(
      relayMain(['republish', '--service', 'jobs', '--since', '1h', '--from-position', '1:1'], env),
    ).rejects.toThrow('exactly one');
    await expect(relayMain(['republish', '--service', 'jobs', '--from-position', 'x'], env)).rejects.toThrow(
      'TX:POS',
    );
    await expect(relayMain(['republish', '--service', 'jobs', '--since', 'yesterday'], env)).rejects.toThrow(
      'neither a duration',
    );
    await expect(relayMain(['status', '--service', 'profiles'], env)).rejects.toThrow('does not exist');
  });
});

describe('ops relay after-restore', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('ops-restore');
  let database: TestDatabase;
  let orm: MikroORM;
  let redis: Redis;
  let publisher: StreamPublisher;

  beforeAll(async () => {
    database = await createTestDatabase('ops_restore');
    orm = await createEventStoreOrm({ clientUrl: database.url, schema: 'jobs' });
    await createEventStoreSchema(orm);
    redis = new Redis(redisUrl);
    publisher = new StreamPublisher({ redisUrl, keyPrefix });
  });

  afterAll(async () => {
    await publisher.close();
    redis.disconnect();
    await orm.close(true);
    await database.drop();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  const append = (n: number) =>
    new EventStore(orm.em.fork()).append({
      streamId: `job-${n}`,
      streamType: 'job',
      expectedVersion: 'no-stream',
      events: [{ type: 'JobCreated', data: { n } }],
      context: { actor: serviceActor('jobs'), correlationId: `c-${n}`, causationId: null, traceparent: null },
      outbox: [{ destination: 'events:jobs', event: 0 }],
    });
  const published = async () =>
    (await redis.xrange(`${keyPrefix}events:jobs`, '-', '+')).map(
      ([, fields]) => JSON.parse(fields[1] as string).data.n as number,
    );

  it("lets the relay publish again after a logical restore left it with the old cluster's transaction ids", async () => {
    const relay = new OutboxRelay({ em: orm.em, name: 'jobs', publisher });
    for (const n of [1, 2, 3]) await append(n);
    // What pg_restore into a younger cluster leaves: rows and checkpoint with transaction ids the
    // new cluster has not reached (here: a billion ahead), row 1 published before the backup.
    const em = orm.em.fork();
    await em.execute(
      `update jobs.outbox set transaction_id = (pg_current_xact_id()::text::bigint + 1000000000)::text::xid8`,
    );
    const [first] = await em.execute<{ transaction_id: string; position: string }[]>(
      'select transaction_id::text as transaction_id, position from jobs.outbox order by position limit 1',
    );
    await em.execute(
      `insert into jobs.outbox_checkpoint (name, last_transaction_id, last_position) values ('jobs', ?::xid8, ?)`,
      [first?.transaction_id, first?.position],
    );
    await append(4);
    expect((await relay.runOnce()).published).toBe(0);
    expect(await published()).toEqual([]);

    const dry = await renumberOutboxAfterRestore(orm.em, { name: 'jobs', dryRun: true });
    expect(dry).toMatchObject({ renumbered: 4, republish: 4, applied: false });
    expect((await relay.runOnce()).published).toBe(0);

    const env = { DATABASE_URL: database.url };
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await relayMain(['after-restore', '--service', 'jobs'], env)).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(await publishAll(orm, relay)).toBe(4);
    await append(5);
    expect(await publishAll(orm, relay)).toBe(1);
    expect(await published()).toEqual([1, 2, 3, 4, 5]);
  });
});
