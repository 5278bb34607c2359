import { ConcurrencyConflictError } from './concurrency-conflict.error';
import { EventStore } from './event-store';
import type { RecordedEvent } from './event-store.types';
import { eventHash } from './hash-chain';
import { schemaDriftSql } from '../schema/event-store-orm';
import {
  createEventStoreFixture,
  StreamSummary,
  streamSummaryProjection,
  testContext,
  truncateStreamSummaries,
  type EventStoreFixture,
} from '../test-support/event-store-fixture';

describe('EventStore', () => {
  let fixture: EventStoreFixture;
  let store: EventStore;

  beforeAll(async () => {
    fixture = await createEventStoreFixture('es_store');
    store = new EventStore(fixture.orm.em, { projections: [streamSummaryProjection] });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  const created = (name: string) => ({ type: 'ThingCreated', data: { name } });
  const renamed = (name: string) => ({ type: 'ThingRenamed', data: { name } });
  // No projection handles it, so its appends take the path without a transaction of their own
  // (the tests using it come after the rebuild test, which expects every event to be projected).
  const noted = (name: string) => ({ type: 'ThingNoted', data: { name } });

  async function countRows(table: string, where = 'true', params: unknown[] = []): Promise<number> {
    const [row] = await fixture.orm.em.execute<{ count: string }[]>(
      `select count(*) as count from jobs.${table} where ${where}`,
      params,
    );
    return Number(row?.count);
  }

  it('appends events and reads them back with versions, positions, metadata and linked hashes', async () => {
    const recorded = await store.append({
      streamId: 'thing-1',
      streamType: 'thing',
      expectedVersion: 'no-stream',
      events: [created('a'), { ...renamed('b'), schemaVersion: 2 }],
      context: { ...testContext, causationId: 'cause-1', traceparent: '00-abc-def-01' },
    });

    const read = await store.readStream('thing-1');
    expect(read).toEqual(recorded);
    expect(read.map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(read[1]?.globalPosition).toBeGreaterThan(read[0]?.globalPosition ?? Infinity);
    expect(read[0]?.data).toEqual({ name: 'a' });
    expect(read[1]?.metadata).toMatchObject({
      actor: testContext.actor,
      correlationId: 'correlation-1',
      causationId: 'cause-1',
      traceparent: '00-abc-def-01',
      schemaVersion: 2,
    });
    expect(read[0]?.metadata.messageId).not.toBe(read[1]?.metadata.messageId);
    expect(read[0]?.prevHash).toBeNull();
    expect(read[1]?.prevHash).toBe(read[0]?.hash);
    expect(read[1]?.hash).toBe(eventHash(read[0]?.hash ?? null, read[1] as RecordedEvent));
  });

  it('continues a stream at the expected version and refuses a stale one with a typed error', async () => {
    await store.append({
      streamId: 'thing-2',
      streamType: 'thing',
      expectedVersion: 0,
      events: [created('a')],
      context: testContext,
    });
    await store.append({
      streamId: 'thing-2',
      streamType: 'thing',
      expectedVersion: 1,
      events: [renamed('b')],
      context: testContext,
    });

    const stale = store.append({
      streamId: 'thing-2',
      streamType: 'thing',
      expectedVersion: 1,
      events: [renamed('c')],
      context: testContext,
    });
    await expect(stale).rejects.toBeInstanceOf(ConcurrencyConflictError);
    await expect(stale).rejects.toMatchObject({
      streamId: 'thing-2',
      expected: 1,
      actual: 2,
      code: 'CONCURRENCY_CONFLICT',
    });
    expect((await store.readStream('thing-2')).map((e) => e.type)).toEqual(['ThingCreated', 'ThingRenamed']);
  });

  it("refuses 'no-stream' for a stream that exists and accepts 'any' wherever the stream is", async () => {
    await store.append({
      streamId: 'thing-3',
      streamType: 'thing',
      expectedVersion: 'no-stream',
      events: [created('a')],
      context: testContext,
    });
    await expect(
      store.append({
        streamId: 'thing-3',
        streamType: 'thing',
        expectedVersion: 'no-stream',
        events: [created('b')],
        context: testContext,
      }),
    ).rejects.toMatchObject({ name: 'ConcurrencyConflictError', expected: 'no-stream', actual: 1 });

    const [appended] = await store.append({
      streamId: 'thing-3',
      streamType: 'thing',
      expectedVersion: 'any',
      events: [renamed('c')],
      context: testContext,
    });
    expect(appended?.streamVersion).toBe(2);
  });

  it('lets exactly one of 20 concurrent appends at the same version win; the others get a conflict', async () => {
    await store.append({
      streamId: 'race-1',
      streamType: 'thing',
      expectedVersion: 'no-stream',
      events: [created('start')],
      context: testContext,
    });

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.append({
          streamId: 'race-1',
          streamType: 'thing',
          expectedVersion: 1,
          events: [renamed(`r${i}`), renamed(`s${i}`)],
          context: testContext,
        }),
      ),
    );

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const failure of lost) expect(failure.reason).toBeInstanceOf(ConcurrencyConflictError);
    const stream = await store.readStream('race-1');
    expect(stream.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    expect((await store.verifyHashChains()).ok).toBe(true);
  });

  it("serialises 20 concurrent 'any' appends to one stream into contiguous versions", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.append({
          streamId: 'race-any',
          streamType: 'thing',
          expectedVersion: 'any',
          events: [renamed(`r${i}`)],
          context: testContext,
        }),
      ),
    );
    const stream = await store.readStream('race-any');
    const wonCount = results.filter((r) => r.status === 'fulfilled').length;
    expect(wonCount).toBeGreaterThan(0);
    expect(stream.map((e) => e.streamVersion)).toEqual(Array.from({ length: wonCount }, (_, i) => i + 1));
    for (const failure of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(failure.reason).toBeInstanceOf(ConcurrencyConflictError);
    }
  });

  it("joins the caller's transaction and chains nothing to an append that rolled back with it", async () => {
    const [first] = await store.append({
      streamId: 'caller-tx',
      streamType: 'thing',
      expectedVersion: 'no-stream',
      events: [created('a')],
      context: testContext,
    });

    await expect(
      fixture.orm.em.transactional(async () => {
        await store.append({
          streamId: 'caller-tx',
          streamType: 'thing',
          expectedVersion: 1,
          events: [renamed('doomed')],
          context: testContext,
        });
        throw new Error('caller gave up');
      }),
    ).rejects.toThrow('caller gave up');

    await expect(
      store.append({
        streamId: 'caller-tx',
        streamType: 'thing',
        expectedVersion: 2,
        events: [renamed('after doomed')],
        context: testContext,
      }),
    ).rejects.toMatchObject({ name: 'ConcurrencyConflictError', actual: 1 });
    const [second] = await store.append({
      streamId: 'caller-tx',
      streamType: 'thing',
      expectedVersion: 1,
      events: [renamed('b')],
      context: testContext,
    });
    expect(second?.prevHash).toBe(first?.hash);
    expect((await store.readStream('caller-tx')).map((e) => e.data)).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('lets concurrent appends to different streams all succeed', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.append({
          streamId: `parallel-${i}`,
          streamType: 'thing',
          expectedVersion: 'no-stream',
          events: [created(`p${i}`)],
          context: testContext,
        }),
      ),
    );
    expect(results.map((r) => r[0]?.streamVersion)).toEqual(Array(20).fill(1));
    expect(new Set(results.map((r) => r[0]?.globalPosition)).size).toBe(20);
  });

  it('updates inline projections and writes outbox rows in the same transaction', async () => {
    const recorded = await store.append({
      streamId: 'projected-1',
      streamType: 'thing',
      expectedVersion: 'no-stream',
      events: [created('a'), renamed('b')],
      context: testContext,
      outbox: [
        { destination: 'events:jobs', event: 0 },
        { destination: 'events:jobs', event: 1 },
        { destination: 'work:analysis', event: 1 },
      ],
    });

    const summary = await fixture.orm.em.fork().findOneOrFail(StreamSummary, { streamId: 'projected-1' });
    expect(summary).toMatchObject({ eventCount: 2, lastType: 'ThingRenamed' });
    const outbox = await fixture.orm.em.execute<
      { message_id: string; destination: string; envelope: { id: string; type: string; data: unknown } }[]
    >(
      `select message_id, destination, envelope from jobs.outbox where envelope->>'correlationId' = ? and message_id in (?) order by position`,
      [testContext.correlationId, recorded.map((e) => e.metadata.messageId)],
    );
    expect(outbox.map((row) => [row.destination, row.envelope.type])).toEqual([
      ['events:jobs', 'ThingCreated'],
      ['events:jobs', 'ThingRenamed'],
      ['work:analysis', 'ThingRenamed'],
    ]);
    for (const row of outbox) expect(row.envelope.id).toBe(row.message_id);
    expect(outbox[0]?.envelope.id).toBe(recorded[0]?.metadata.messageId);
    expect(outbox[2]?.envelope.data).toEqual({ name: 'b' });
  });

  it('rolls back the events and the outbox rows when a projection fails', async () => {
    const failing = store.append({
      streamId: 'projected-2',
      streamType: 'thing',
      expectedVersion: 'no-stream',
      events: [created('a')],
      context: { ...testContext, correlationId: 'doomed' },
      outbox: [{ destination: 'events:jobs', event: 0 }],
      project: async () => {
        throw new Error('read model refused');
      },
    });

    await expect(failing).rejects.toThrow('read model refused');
    expect(await store.readStream('projected-2')).toEqual([]);
    expect(await countRows('outbox', `envelope->>'correlationId' = ?`, ['doomed'])).toBe(0);
    expect(await fixture.orm.em.fork().findOne(StreamSummary, { streamId: 'projected-2' })).toBeNull();
  });

  it('rebuilds a projection from the event table into the same read model', async () => {
    const read = async () =>
      (await fixture.orm.em.fork().find(StreamSummary, {}, { orderBy: { streamId: 'asc' } })).map((s) => ({
        ...s,
      }));
    const before = await read();
    expect(before.length).toBeGreaterThan(20);
    await fixture.orm.em.fork().nativeUpdate(StreamSummary, {}, { eventCount: 0, lastType: 'garbage' });

    const result = await store.rebuildProjection(streamSummaryProjection, {
      truncate: truncateStreamSummaries,
      batchSize: 7,
    });

    expect(await read()).toEqual(before);
    expect(result.events).toBe(await countRows('events'));
  });

  it('replays a stream into aggregate state and reports the version to expect next', async () => {
    const evolve = (names: string[], event: RecordedEvent) => [
      ...names,
      (event.data as { name: string }).name,
    ];
    expect(await store.aggregateStream('thing-2', evolve, [])).toEqual({ state: ['a', 'b'], version: 2 });
    expect(await store.aggregateStream('nothing-here', evolve, [])).toEqual({ state: [], version: 0 });
  });

  it('reads all events in global order, filtered and paged for the audit', async () => {
    await store.append({
      streamId: 'audit-1',
      streamType: 'thing',
      expectedVersion: 'no-stream',
      events: [created('x'), renamed('y'), renamed('z')],
      context: {
        ...testContext,
        correlationId: 'audit-corr',
        actor: { id: 'user-7', role: 'user', scopes: [] },
      },
    });

    const firstPage = await store.readAll({ correlationId: 'audit-corr', limit: 2 });
    const secondPage = await store.readAll({
      correlationId: 'audit-corr',
      after: firstPage.at(-1)?.globalPosition,
      limit: 2,
    });
    expect([...firstPage, ...secondPage].map((e) => e.data)).toEqual([
      { name: 'x' },
      { name: 'y' },
      { name: 'z' },
    ]);
    expect((await store.readAll({ actorId: 'user-7', types: ['ThingRenamed'] })).map((e) => e.data)).toEqual([
      { name: 'y' },
      { name: 'z' },
    ]);
    const from = firstPage[0]?.recordedAt ?? new Date();
    expect(
      (
        await store.readAll({
          actorId: 'user-7',
          recordedFrom: from,
          recordedBefore: new Date(from.getTime() + 1),
        })
      ).length,
    ).toBe(3);
    expect(await store.readAll({ actorId: 'user-7', recordedBefore: from })).toEqual([]);
    const all = await store.readAll({ limit: 1000 });
    expect(all.map((e) => e.globalPosition)).toEqual(
      [...all.map((e) => e.globalPosition)].sort((a, b) => a - b),
    );
  });

  it('chains to a head another store wrote (no projection: one statement, outbox included), and refuses versions the stream has left or not reached', async () => {
    const [, secondOfA] = await store.append({
      streamId: 'shared-1',
      streamType: 'thing',
      expectedVersion: 'no-stream',
      events: [noted('a'), noted('b')],
      context: testContext,
    });
    const other = new EventStore(fixture.orm.em.fork());

    const [third] = await other.append({
      streamId: 'shared-1',
      streamType: 'thing',
      expectedVersion: 2,
      events: [noted('c')],
      context: testContext,
      outbox: [{ destination: 'events:jobs', event: 0 }],
    });

    expect(third?.prevHash).toBe(secondOfA?.hash);
    expect(await countRows('outbox', 'message_id = ?', [third?.metadata.messageId])).toBe(1);
    for (const expectedVersion of [2, 5, 1.5]) {
      await expect(
        store.append({
          streamId: 'shared-1',
          streamType: 'thing',
          expectedVersion,
          events: [noted('late')],
          context: testContext,
        }),
      ).rejects.toMatchObject({ name: 'ConcurrencyConflictError', expected: expectedVersion, actual: 3 });
    }
    expect((await store.readStream('shared-1')).map((e) => e.data)).toEqual([
      { name: 'a' },
      { name: 'b' },
      { name: 'c' },
    ]);
    expect((await store.verifyHashChains()).ok).toBe(true);
  });

  it('reports no drift when the schema matches the entities, whatever other services keep beside it', async () => {
    await fixture.openSchema('profiles');
    await fixture.orm.em.execute('create table jobs.mikro_orm_migrations (id serial primary key, name text)');

    expect(await schemaDriftSql(fixture.orm)).toBe('');
  });

  it('reports the SQL that would bring a drifted schema back in line', async () => {
    const drifted = await fixture.openSchema('drifted');
    await drifted.em.execute('alter table drifted.inbox drop column handled_at');

    expect(await schemaDriftSql(drifted)).toContain('handled_at');
  });
});
