/**
 * Event store appends: one event plus its outbox row per transaction (what a command
 * handler does), with W writers on different streams, against the raw INSERT baseline.
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { serviceActor } from '@scriptripper/contracts';
import { createEventStoreOrm, createEventStoreSchema, EventStore } from '@scriptripper/event-store';
import { measureThroughput, type Throughput } from './measure';
import { PAYLOAD } from './raw-redis.bench';

export async function withBenchOrm<T>(databaseUrl: string, work: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await createEventStoreOrm({ clientUrl: databaseUrl, schema: 'bench' });
  try {
    await createEventStoreSchema(orm);
    return await work(orm);
  } finally {
    await orm.close(true);
  }
}

export async function appendThroughput(orm: MikroORM, writers: number, total: number): Promise<Throughput> {
  const perWriter = Math.ceil(total / writers);
  const context = {
    actor: serviceActor('jobs'),
    correlationId: randomUUID(),
    causationId: null,
    traceparent: null,
  };
  return measureThroughput(
    `EventStore.append (event + outbox row), ${writers} writer(s)`,
    perWriter * writers,
    async () => {
      await Promise.all(
        Array.from({ length: writers }, async () => {
          const store = new EventStore(orm.em.fork());
          const streamId = `bench-${randomUUID()}`;
          for (let version = 0; version < perWriter; version++) {
            await store.append({
              streamId,
              streamType: 'bench',
              expectedVersion: version,
              events: [{ type: 'BenchHappened', data: { ...PAYLOAD, n: version } }],
              context,
              outbox: [{ destination: 'events:bench', event: 0 }],
            });
          }
        }),
      );
    },
  );
}
