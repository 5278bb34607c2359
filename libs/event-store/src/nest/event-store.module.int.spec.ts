import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Test, type TestingModule } from '@nestjs/testing';
import { Inbox } from '../inbox/inbox';
import { eventStoreEntities } from '../schema/event-store.entities';
import { EventStore } from '../store/event-store';
import {
  createEventStoreFixture,
  createRedisSinkFixture,
  eventually,
  StreamSummary,
  streamSummaryProjection,
  testContext,
  type EventStoreFixture,
  type RedisSinkFixture,
} from '../test-support/event-store-fixture';
import { EventStoreModule, OutboxRelayFactory } from './event-store.module';

describe('EventStoreModule', () => {
  let fixture: EventStoreFixture;
  let redis: RedisSinkFixture;
  let app: TestingModule;

  beforeAll(async () => {
    fixture = await createEventStoreFixture('es_nest');
    redis = createRedisSinkFixture('es_nest');
    app = await Test.createTestingModule({
      imports: [
        MikroOrmModule.forRoot({
          driver: PostgreSqlDriver,
          clientUrl: fixture.database.url,
          schema: 'jobs',
          entities: [...eventStoreEntities, StreamSummary],
        }),
        EventStoreModule.forRoot({ projections: [streamSummaryProjection] }),
      ],
    }).compile();
  });

  afterAll(async () => {
    await app?.close();
    await redis?.close();
    await fixture?.close();
  });

  it('gives an app an EventStore with its projections, an Inbox and relays on its MikroORM connection', async () => {
    const store = app.get(EventStore);
    const sink = redis.createSink('nest');
    const relay = app.get(OutboxRelayFactory).create({ name: 'jobs-relay', publisher: sink });

    const outcome = await app.get(Inbox).handleOnce('jobs.test', 'message-1', () =>
      store.append({
        streamId: 'nest-1',
        streamType: 'thing',
        expectedVersion: 'no-stream',
        events: [{ type: 'ThingCreated', data: { name: 'n' } }],
        context: testContext,
        outbox: [{ destination: 'events:jobs', event: 0 }],
      }),
    );
    await eventually('the relay published the event', async () => (await relay.runOnce()).published === 1);

    expect(outcome.duplicate).toBe(false);
    const summary = await fixture.orm.em.fork().findOneOrFail(StreamSummary, { streamId: 'nest-1' });
    expect(summary.eventCount).toBe(1);
    expect((await sink.read('events:jobs')).map((envelope) => envelope.type)).toEqual(['ThingCreated']);
  });
});
