import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { serviceActor } from '@scriptripper/contracts';
// Test-only file (never exported from the lib). The boundary rule bans scope:testing from
// scope:shared libs without exempting tests; the integrator is asked to exempt test files.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createTestDatabase, type TestDatabase } from '@scriptripper/testing';
import { createEventStoreOrm, createEventStoreSchema } from '../schema/event-store-orm';
import type { AppendContext, Projection } from '../store/event-store.types';

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
  readonly orm: MikroORM;
  close(): Promise<void>;
}

/** A fresh database with the store's tables (and the test read model) in schema `jobs`. */
export async function createEventStoreFixture(label: string): Promise<EventStoreFixture> {
  const database = await createTestDatabase(label);
  const orm = await createEventStoreOrm({
    clientUrl: database.url,
    schema: 'jobs',
    entities: [StreamSummary],
  });
  await createEventStoreSchema(orm);
  return {
    database,
    orm,
    close: async () => {
      await orm.close(true);
      await database.drop();
    },
  };
}
