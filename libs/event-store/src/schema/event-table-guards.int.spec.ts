import { Client } from 'pg';
import { EventStore } from '../store/event-store';
import {
  createEventStoreFixture,
  testContext,
  type EventStoreFixture,
} from '../test-support/event-store-fixture';
import { dropEventTableGuardsSql, eventTableGuardsSql } from './event-table-guards.sql';

describe('event table guards and hash chain verification', () => {
  let fixture: EventStoreFixture;
  let store: EventStore;
  let client: Client;

  beforeAll(async () => {
    fixture = await createEventStoreFixture('es_guards');
    store = new EventStore(fixture.orm.em);
    client = new Client({ connectionString: fixture.database.url });
    await client.connect();
    for (const streamId of ['guarded-1', 'guarded-2']) {
      await store.append({
        streamId,
        streamType: 'thing',
        expectedVersion: 'no-stream',
        events: [1, 2, 3].map((n) => ({ type: 'ThingCounted', data: { n } })),
        context: testContext,
      });
    }
  });

  afterAll(async () => {
    await client.end();
    await fixture?.close();
  });

  it.each([
    ['UPDATE', `update jobs.events set data = '{"n": 99}' where stream_id = 'guarded-1'`],
    ['DELETE', `delete from jobs.events where stream_id = 'guarded-1'`],
    ['TRUNCATE', 'truncate jobs.events'],
  ])('refuses %s on the event table in the database itself', async (operation, sql) => {
    await expect(client.query(sql)).rejects.toThrow(
      `events are append-only: ${operation} on jobs.events is refused`,
    );
    expect((await store.readStream('guarded-1')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('reports intact chains with the number of streams and events', async () => {
    expect(await store.verifyHashChains()).toEqual({ ok: true, streams: 2, events: 6 });
  });

  it('finds the first broken link after a superuser disables the trigger and edits a row', async () => {
    const [, second] = await store.readStream('guarded-2');
    await client.query('alter table jobs.events disable trigger events_refuse_update_delete');
    await client.query(`update jobs.events set data = '{"n": 20}' where global_position = $1`, [
      second?.globalPosition,
    ]);
    await client.query('alter table jobs.events enable trigger events_refuse_update_delete');

    const report = await store.verifyHashChains();

    expect(report).toMatchObject({
      ok: false,
      firstBroken: {
        streamId: 'guarded-2',
        streamVersion: 2,
        globalPosition: second?.globalPosition,
        actualHash: second?.hash,
      },
    });
    expect(report.ok === false && report.firstBroken.expectedHash).not.toBe(second?.hash);
  });

  it('drops and re-creates the guards with the SQL a migration would run', async () => {
    for (const sql of dropEventTableGuardsSql('jobs')) await client.query(sql);
    await client.query('begin');
    await client.query(`delete from jobs.events where stream_id = 'guarded-1'`);
    await client.query('rollback');
    for (const sql of eventTableGuardsSql('jobs')) await client.query(sql);
    await expect(client.query(`delete from jobs.events where stream_id = 'guarded-1'`)).rejects.toThrow(
      'append-only',
    );
  });
});
