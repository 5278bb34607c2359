/**
 * The baselines the transport is compared with, on the same server in the same run:
 * bare ioredis doing the same Streams work (XADD pipelined by 100, XREADGROUP COUNT 100,
 * one XACK per batch) with envelope-sized messages, and a bare request/reply round trip over
 * two streams. What the baseline leaves out is what the transport adds: envelope validation,
 * dispatch through Nest, per-message ack bookkeeping, retries, metrics.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { measureLatency, measureThroughput, type Latency, type Throughput } from './measure';

export const PAYLOAD = { text: 'x'.repeat(240), n: 0 };

/**
 * What the bare baseline sends: an object of the same shape and size as the transport's
 * envelope around PAYLOAD, so both runs move the same bytes through Redis and JSON.
 */
function envelopeSized(n: number): string {
  return JSON.stringify({
    id: randomUUID(),
    type: 'BenchHappened',
    correlationId: randomUUID(),
    causationId: null,
    actor: { id: 'service:jobs', role: 'service', scopes: [] },
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
    traceparent: null,
    data: { ...PAYLOAD, n },
  });
}

export async function rawStreamsThroughput(
  redisUrl: string,
  prefix: string,
  count: number,
): Promise<Throughput> {
  const producer = new Redis(redisUrl);
  const consumer = new Redis(redisUrl);
  const stream = `${prefix}raw:${Math.random().toString(36).slice(2)}`;
  await producer.xgroup('CREATE', stream, 'bench', '$', 'MKSTREAM');
  try {
    return await measureThroughput('bare ioredis XADD -> XREADGROUP -> XACK', count, async () => {
      const produce = (async () => {
        for (let sent = 0; sent < count; sent += 100) {
          const pipeline = producer.pipeline();
          for (let i = sent; i < Math.min(count, sent + 100); i++) {
            pipeline.xadd(stream, '*', 'm', envelopeSized(i));
          }
          await pipeline.exec();
        }
      })();
      let acked = 0;
      while (acked < count) {
        const reply = (await consumer.xreadgroup(
          'GROUP',
          'bench',
          'c1',
          'COUNT',
          100,
          'BLOCK',
          1000,
          'STREAMS',
          stream,
          '>',
        )) as Array<[string, Array<[string, string[]]>]> | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length === 0) continue;
        for (const [, fields] of entries) JSON.parse(fields[1] ?? '{}');
        await consumer.xack(stream, 'bench', ...entries.map(([id]) => id));
        acked += entries.length;
      }
      await produce;
    });
  } finally {
    await producer.del(stream);
    producer.disconnect();
    consumer.disconnect();
  }
}

export async function rawStreamsRoundTrip(redisUrl: string, prefix: string, count: number): Promise<Latency> {
  const caller = new Redis(redisUrl);
  const callerReader = new Redis(redisUrl);
  const server = new Redis(redisUrl);
  const serverReader = new Redis(redisUrl);
  const requests = `${prefix}raw-rpc:${Math.random().toString(36).slice(2)}`;
  const replies = `${requests}:replies`;
  await server.xgroup('CREATE', requests, 'bench', '$', 'MKSTREAM');
  let running = true;
  const serve = (async () => {
    while (running) {
      const reply = (await serverReader.xreadgroup(
        'GROUP',
        'bench',
        's1',
        'COUNT',
        10,
        'BLOCK',
        200,
        'STREAMS',
        requests,
        '>',
      )) as Array<[string, Array<[string, string[]]>]> | null;
      for (const [id, fields] of reply?.[0]?.[1] ?? []) {
        await server.xadd(replies, '*', 'm', fields[1] ?? '');
        await server.xack(requests, 'bench', id);
      }
    }
  })();
  let lastReplyId = '0-0';
  try {
    return await measureLatency('bare ioredis request/reply over two streams', count, async () => {
      await caller.xadd(requests, '*', 'm', JSON.stringify(PAYLOAD));
      for (;;) {
        const reply = (await callerReader.xread(
          'COUNT',
          1,
          'BLOCK',
          1000,
          'STREAMS',
          replies,
          lastReplyId,
        )) as Array<[string, Array<[string, string[]]>]> | null;
        const entry = reply?.[0]?.[1]?.[0];
        if (entry) {
          lastReplyId = entry[0];
          return;
        }
      }
    });
  } finally {
    running = false;
    await serve;
    await caller.del(requests, replies);
    for (const client of [caller, callerReader, server, serverReader]) client.disconnect();
  }
}
