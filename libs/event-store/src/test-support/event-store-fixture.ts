import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { serviceActor } from '@scriptripper/contracts';
// Test-only file (never exported from the lib). The boundary rule bans scope:testing from
// scope:shared libs without exempting tests; the integrator is asked to exempt test files.
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { createEventStoreOrm, createEventStoreSchema } from '../schema/event-store-orm';
import type { AppendContext, Projection } from '../store/event-store.types';
import { RedisStreamSink } from './redis-stream-sink';

/** A small read model for the tests: how many events each stream has and the last one's type. */
@Entity({ tableName: 'stream_summaries' })
export class StreamSummary {
  @PrimaryKey({ type: 'text' })
  streamId!: string;

  @Property({ type: 'integer' })
  eventCount!: number;

  @Property({ type: 'text' })
  lastType!: string;
}

export const streamSummaryProjection: Projection = {
  name: 'stream-summaries',
  handles: ['ThingCreated', 'ThingRenamed'],
  async apply(em, event) {
    const summary =
      (await em.findOne(StreamSummary, { streamId: event.streamId })) ??
      em.create(StreamSummary, { streamId: event.streamId, eventCount: 0, lastType: event.type });
    summary.eventCount += 1;
    summary.lastType = event.type;
  },
};

export async function truncateStreamSummaries(em: EntityManager): Promise<void> {
  await em.nativeDelete(StreamSummary, {});
}

export const testContext: AppendContext = {
  actor: serviceActor('jobs'),
  correlationId: 'correlation-1',
  causationId: null,
  traceparent: null,
};

export interface EventStoreFixture {
  readonly database: TestDatabase;
  /** The store in schema `jobs`. */
  readonly orm: MikroORM;
  /** Another service schema in the same database, for tests that need an outbox of their own. */
  openSchema(schema: string): Promise<MikroORM>;
  close(): Promise<void>;
}

/** A fresh database with the store's tables (and the test read model) in schema `jobs`. */
export async function createEventStoreFixture(label: string): Promise<EventStoreFixture> {
  const database = await createTestDatabase(label);
  const orms: MikroORM[] = [];
  const openSchema = async (schema: string) => {
    const orm = await createEventStoreOrm({ clientUrl: database.url, schema, entities: [StreamSummary] });
    orms.push(orm);
    await createEventStoreSchema(orm);
    return orm;
  };
  return {
    database,
    orm: await openSchema('jobs'),
    openSchema,
    close: async () => {
      for (const orm of orms) await orm.close(true);
      await database.drop();
    },
  };
}

export interface RedisSinkFixture {
  /** A sink of its own (its own key prefix under the file's prefix) for one test. */
  createSink(label: string): RedisStreamSink;
  /** Deletes this sink's keys, as a Redis that lost its data would have. */
  forget(sink: RedisStreamSink): Promise<void>;
  close(): Promise<void>;
}

export function createRedisSinkFixture(label: string): RedisSinkFixture {
  const url = testRedisUrl();
  const prefix = testKeyPrefix(label);
  const sinks: RedisStreamSink[] = [];
  return {
    createSink: (sinkLabel) => {
      const sink = new RedisStreamSink(url, `${prefix}${sinkLabel}:`);
      sinks.push(sink);
      return sink;
    },
    forget: async (sink) => {
      await deleteKeysWithPrefix(url, sink.prefix);
    },
    close: async () => {
      for (const sink of sinks) sink.close();
      await deleteKeysWithPrefix(url, prefix);
    },
  };
}

/** Polls `condition` until it holds; fails with `description` after a generous deadline. */
export async function eventually<T>(
  description: string,
  condition: () => Promise<T | undefined | false>,
  deadlineMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const result = await condition();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
