import Redis from 'ioredis';
import { addDeadLetter, createEnvelope, DeadLetters, type DeadLetterRecord } from '@scriptripper/streams';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { dlqMain, listDeadLetters, purgeDeadLetters, replayDeadLetters } from './dlq';
import { UsageError } from './ops-cli';

describe('ops dlq', () => {
  const redisUrl = testRedisUrl();
  let keyPrefix: string;
  let redis: Redis;
  let deadLetters: DeadLetters;

  beforeAll(async () => {
    redis = new Redis(redisUrl);
  });

  beforeEach(async () => {
    keyPrefix = testKeyPrefix('ops-dlq');
    deadLetters = new DeadLetters(redis, keyPrefix);
  });

  afterEach(async () => {
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  afterAll(async () => {
    redis.disconnect();
  });

  /** A dead letter as the transport writes it, of a real envelope; returns its DLQ id. */
  async function deadLetter(stream: string, type: string, overrides: Partial<DeadLetterRecord> = {}) {
    const envelope = createEnvelope(type, { n: 1 }, { correlationId: `corr-${type}` });
    const multi = redis.multi();
    addDeadLetter(multi, keyPrefix, {
      stream,
      group: 'worker',
      messageId: '1-0',
      consumer: 'worker-a',
      attempts: 5,
      reason: 'handler failed',
      error: { code: 'INTERNAL', message: `${type} broke`, retryable: true },
      fields: { envelope: JSON.stringify(envelope) },
      ...overrides,
    });
    const [[error, id]] = (await multi.exec()) as [[Error | null, string]];
    if (error) throw error;
    return { id, envelope };
  }

  async function entriesOf(stream: string) {
    return redis.xrange(keyPrefix + stream, '-', '+');
  }

  it("lists every dead-letter stream with its count and each entry's origin, error, type and correlation id", async () => {
    await deadLetter('work:analysis', 'AnalyzeTranscript');
    await deadLetter('work:analysis', 'AnalyzeTranscript');
    await deadLetter('events:jobs', 'JobCompleted');

    const all = await listDeadLetters(deadLetters, {});
    expect(all.streams.map((s) => [s.stream, s.count, s.entries.length])).toEqual([
      ['events:jobs', 1, 1],
      ['work:analysis', 2, 2],
    ]);
    expect(all.streams[0]?.entries[0]).toMatchObject({
      stream: 'events:jobs',
      group: 'worker',
      attempts: 5,
      type: 'JobCompleted',
      correlationId: 'corr-JobCompleted',
      error: { code: 'INTERNAL', message: 'JobCompleted broke', retryable: true },
    });

    const byType = await listDeadLetters(deadLetters, { type: 'JobCompleted' });
    expect(byType.streams.map((s) => [s.stream, s.entries.length])).toEqual([
      ['events:jobs', 1],
      ['work:analysis', 0],
    ]);
    const limited = await listDeadLetters(deadLetters, { stream: 'work:analysis' }, 1);
    expect(limited.streams).toHaveLength(1);
    expect(limited.streams[0]?.entries).toHaveLength(1);
  });

  it('replays one entry onto its original stream with its fields unchanged and removes it from the DLQ', async () => {
    const first = await deadLetter('work:analysis', 'AnalyzeTranscript');
    const second = await deadLetter('work:analysis', 'AnalyzeTranscript');

    const outcome = await replayDeadLetters(
      deadLetters,
      { kind: 'one', stream: 'work:analysis', id: second.id },
      false,
    );

    expect(outcome.replayed.map((r) => r.deadLetterId)).toEqual([second.id]);
    const replayed = await entriesOf('work:analysis');
    expect(replayed).toHaveLength(1);
    expect(replayed[0]?.[0]).toBe(outcome.replayed[0]?.newId);
    expect(replayed[0]?.[1]).toEqual(['envelope', JSON.stringify(second.envelope)]);
    const left = await deadLetters.list('work:analysis');
    expect(left.map((l) => l.deadLetterId)).toEqual([first.id]);
  });

  it('changes nothing in a dry run', async () => {
    await deadLetter('work:analysis', 'AnalyzeTranscript');
    const outcome = await replayDeadLetters(deadLetters, { kind: 'filter', filter: {} }, true);
    expect(outcome.replayed).toHaveLength(1);
    expect(outcome.replayed[0]?.newId).toBeNull();
    expect(await entriesOf('work:analysis')).toHaveLength(0);
    expect(await redis.xlen(`${keyPrefix}dlq:work:analysis`)).toBe(1);
  });

  it('replays by type across streams and keeps entries without a payload in the DLQ, saying why', async () => {
    await deadLetter('events:jobs', 'JobCompleted');
    await deadLetter('events:jobs', 'JobFailed');
    await deadLetter('work:analysis', 'JobCompleted');
    const { id: empty } = await deadLetter('work:analysis', 'Gone', {
      fields: null,
      reason: 'deleted before read',
    });

    const byType = await replayDeadLetters(
      deadLetters,
      { kind: 'filter', filter: { type: 'JobCompleted' } },
      false,
    );
    expect(byType.replayed.map((r) => r.stream).sort()).toEqual(['events:jobs', 'work:analysis']);
    expect(await entriesOf('events:jobs')).toHaveLength(1);
    expect(
      (await deadLetters.list('events:jobs')).map(
        (l) => l.fields && JSON.parse(l.fields['envelope'] ?? '{}').type,
      ),
    ).toEqual(['JobFailed']);

    const all = await replayDeadLetters(deadLetters, { kind: 'filter', filter: {} }, false);
    expect(all.replayed.map((r) => r.type)).toEqual(['JobFailed']);
    expect(all.skipped.map((s) => [s.deadLetterId, s.why])).toEqual([
      [empty, 'no payload to replay (deleted before read)'],
    ]);
    expect((await deadLetters.list('work:analysis')).map((l) => l.deadLetterId)).toEqual([empty]);
  });

  it('leaves the entry in the DLQ when putting it back fails', async () => {
    const { id } = await deadLetter('work:analysis', 'AnalyzeTranscript');
    await redis.set(`${keyPrefix}work:analysis`, 'not a stream');

    const outcome = await replayDeadLetters(deadLetters, { kind: 'one', stream: 'work:analysis', id }, false);

    expect(outcome.replayed).toHaveLength(0);
    expect(outcome.skipped[0]?.why).toMatch(/WRONGTYPE/);
    expect((await deadLetters.list('work:analysis')).map((l) => l.deadLetterId)).toEqual([id]);
  });

  it('purges one entry, or the entries dead-lettered before a time, and can only report in a dry run', async () => {
    const { id: one } = await deadLetter('work:analysis', 'A');
    await deadLetter('work:analysis', 'B');
    await deadLetter('events:jobs', 'C');

    expect(
      await purgeDeadLetters(deadLetters, { kind: 'one', stream: 'work:analysis', id: one }, false),
    ).toEqual({
      removed: [{ stream: 'work:analysis', count: 1 }],
      dryRun: false,
    });
    expect(await redis.xlen(`${keyPrefix}dlq:work:analysis`)).toBe(1);
    await expect(
      purgeDeadLetters(deadLetters, { kind: 'one', stream: 'work:analysis', id: one }, false),
    ).rejects.toThrow(`no dead letter ${one} in dlq:work:analysis`);

    const past = new Date(Date.now() - 60_000);
    expect((await purgeDeadLetters(deadLetters, { kind: 'older', before: past }, false)).removed).toEqual([
      { stream: 'events:jobs', count: 0 },
      { stream: 'work:analysis', count: 0 },
    ]);
    const future = new Date(Date.now() + 60_000);
    expect((await purgeDeadLetters(deadLetters, { kind: 'older', before: future }, true)).removed).toEqual([
      { stream: 'events:jobs', count: 1 },
      { stream: 'work:analysis', count: 1 },
    ]);
    expect(await redis.xlen(`${keyPrefix}dlq:events:jobs`)).toBe(1);
    await purgeDeadLetters(deadLetters, { kind: 'older', stream: 'events:jobs', before: future }, false);
    expect(await redis.xlen(`${keyPrefix}dlq:events:jobs`)).toBe(0);
    expect(await redis.xlen(`${keyPrefix}dlq:work:analysis`)).toBe(1);
  });

  it('runs from its command line with --json, and refuses an ambiguous replay with a usage error', async () => {
    await deadLetter('work:analysis', 'AnalyzeTranscript');
    const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix };
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await dlqMain(['list', '--json'], env)).toBe(0);
    } finally {
      write.mockRestore();
    }
    const listing = JSON.parse(written.join(''));
    expect(listing.streams[0]).toMatchObject({ stream: 'work:analysis', count: 1 });

    await expect(dlqMain(['replay'], env)).rejects.toThrow(UsageError);
    await expect(dlqMain(['replay', '--id', '1-0'], env)).rejects.toThrow('--id needs --stream');
    await expect(dlqMain(['list', '--bogus'], env)).rejects.toThrow(UsageError);
    await expect(dlqMain(['list'], {})).rejects.toThrow('REDIS_URL');
    expect(await redis.xlen(`${keyPrefix}dlq:work:analysis`)).toBe(1);
  });
});
