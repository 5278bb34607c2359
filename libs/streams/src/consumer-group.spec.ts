import type Redis from 'ioredis';
import { ConsumerGroup } from './consumer-group';

/** Records XACK calls; each call resolves or fails when the test says so. */
function fakeRedis() {
  const calls: { args: string[]; settle: (error?: Error) => void }[] = [];
  const redis = {
    xack: (...args: string[]) =>
      new Promise<number>((resolve, reject) => {
        calls.push({ args, settle: (error) => (error ? reject(error) : resolve(args.length - 2)) });
      }),
  };
  return { redis: redis as unknown as Redis, calls };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('ConsumerGroup.ack', () => {
  it('sends the ids acked in one turn of the event loop as one XACK', async () => {
    const { redis, calls } = fakeRedis();
    const group = new ConsumerGroup(redis, 'p:', 'events:jobs', 'worker', 'c1');

    const acks = [group.ack('1-0'), group.ack('2-0'), group.ack('3-0')];
    await nextTurn();

    expect(calls.map((call) => call.args)).toEqual([['p:events:jobs', 'worker', '1-0', '2-0', '3-0']]);
    calls[0]?.settle();
    await expect(Promise.all(acks)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('resolves an ack only once Redis answered its XACK', async () => {
    const { redis, calls } = fakeRedis();
    const group = new ConsumerGroup(redis, 'p:', 'events:jobs', 'worker', 'c1');
    let acked = false;

    void group.ack('1-0').then(() => (acked = true));
    await nextTurn();
    await nextTurn();
    expect(acked).toBe(false);

    calls[0]?.settle();
    await nextTurn();
    expect(acked).toBe(true);
  });

  it('starts a new XACK for ids acked after the previous one was sent', async () => {
    const { redis, calls } = fakeRedis();
    const group = new ConsumerGroup(redis, 'p:', 'events:jobs', 'worker', 'c1');

    const first = group.ack('1-0');
    await nextTurn();
    const second = group.ack('2-0');
    await nextTurn();

    expect(calls.map((call) => call.args.slice(2))).toEqual([['1-0'], ['2-0']]);
    for (const call of calls) call.settle();
    await Promise.all([first, second]);
  });

  it('fails every ack of a batch whose XACK failed, so their entries stay pending', async () => {
    const { redis, calls } = fakeRedis();
    const group = new ConsumerGroup(redis, 'p:', 'events:jobs', 'worker', 'c1');

    const acks = [group.ack('1-0'), group.ack('2-0')];
    await nextTurn();
    calls[0]?.settle(new Error('connection lost'));

    for (const ack of acks) await expect(ack).rejects.toThrow('connection lost');
  });
});
