import { randomUUID } from 'node:crypto';
import { EventStore } from '../store/event-store';
import {
  createEventStoreFixture,
  testContext,
  type EventStoreFixture,
} from '../test-support/event-store-fixture';
import { Inbox } from './inbox';

describe('Inbox', () => {
  let fixture: EventStoreFixture;
  let inbox: Inbox;
  let store: EventStore;

  beforeAll(async () => {
    fixture = await createEventStoreFixture('es_inbox');
    inbox = new Inbox(fixture.orm.em);
    store = new EventStore(fixture.orm.em);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  /** The effect of handling a message: one event on the message's own stream. */
  const recordHandling = (messageId: string) => () =>
    store.append({
      streamId: `handled-${messageId}`,
      streamType: 'handling',
      expectedVersion: 'any',
      events: [{ type: 'MessageHandled', data: { messageId } }],
      context: testContext,
    });

  async function inboxRows(messageId: string): Promise<number> {
    const [row] = await fixture.orm.em.execute<{ count: string }[]>(
      'select count(*) as count from jobs.inbox where message_id = ?',
      [messageId],
    );
    return Number(row?.count);
  }

  it('runs the effects of a message once and reports the redelivery as a duplicate', async () => {
    const messageId = randomUUID();

    const first = await inbox.handleOnce('jobs.analysis', messageId, async () => {
      await recordHandling(messageId)();
      return 'done';
    });
    const again = await inbox.handleOnce('jobs.analysis', messageId, recordHandling(messageId));

    expect(first).toEqual({ duplicate: false, result: 'done' });
    expect(again).toEqual({ duplicate: true });
    expect(await store.readStream(`handled-${messageId}`)).toHaveLength(1);
  });

  it('keeps no inbox row when the effects throw, so the retry runs them', async () => {
    const messageId = randomUUID();

    const failing = inbox.handleOnce('jobs.analysis', messageId, async () => {
      await recordHandling(messageId)();
      throw new Error('downstream refused');
    });

    await expect(failing).rejects.toThrow('downstream refused');
    expect(await inboxRows(messageId)).toBe(0);
    expect(await store.readStream(`handled-${messageId}`)).toEqual([]);
    expect(await inbox.handleOnce('jobs.analysis', messageId, recordHandling(messageId))).toMatchObject({
      duplicate: false,
    });
    expect(await store.readStream(`handled-${messageId}`)).toHaveLength(1);
  });

  it('runs the effects once when the same message is delivered 10 times at once', async () => {
    const messageId = randomUUID();

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        inbox.handleOnce('jobs.analysis', messageId, recordHandling(messageId)),
      ),
    );

    expect(outcomes.filter((outcome) => !outcome.duplicate)).toHaveLength(1);
    expect(await store.readStream(`handled-${messageId}`)).toHaveLength(1);
  });

  it('dedupes per consumer: another consumer handles the same message', async () => {
    const messageId = randomUUID();

    await inbox.handleOnce('jobs.analysis', messageId, async () => undefined);
    const other = await inbox.handleOnce('artifacts.exports', messageId, async () => 'handled');

    expect(other).toEqual({ duplicate: false, result: 'handled' });
    expect(await inboxRows(messageId)).toBe(2);
  });
});
