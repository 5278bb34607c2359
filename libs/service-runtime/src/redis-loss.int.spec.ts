import { randomUUID } from 'node:crypto';
import { Controller, Inject, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import Redis from 'ioredis';
import { serviceActor } from '@scriptripper/contracts';
import { EventStore, Inbox, serviceOrmOptions } from '@scriptripper/event-store';
import { RedisStreamsClient, type RedisStreamsContext } from '@scriptripper/streams';
import { lastValueFrom } from 'rxjs';
import {
  createTestDatabase,
  startThrowawayRedis,
  type TestDatabase,
  type ThrowawayRedis,
} from '@scriptripper/testing';
import { DataServiceModule } from './data-service.module';
import { connectStreamsServer } from './streams-server';

const SCHEMA = 'ledger';

/** What the consuming service saw: every delivery, duplicates included. */
class Deliveries {
  readonly seen: string[] = [];
}

@Controller()
class LedgerAuditController {
  constructor(
    @Inject(Inbox) private readonly inbox: Inbox,
    @Inject(Deliveries) private readonly deliveries: Deliveries,
  ) {}

  @EventPattern('EntryRecorded')
  async onEntryRecorded(
    @Payload() data: { amount: number },
    @Ctx() context: RedisStreamsContext,
  ): Promise<void> {
    const envelope = context.getEnvelope();
    this.deliveries.seen.push(envelope.id);
    await this.inbox.handleOnce('ledger-audit', envelope.id, (em) =>
      em.execute(`insert into ${SCHEMA}.audit_effects (message_id, amount) values (?, ?)`, [
        envelope.id,
        data.amount,
      ]),
    );
  }

  @MessagePattern('audit.close-books')
  closeBooks(): never {
    throw new Error('the books are already closed');
  }
}

describe('a data service when Redis loses everything', () => {
  let database: TestDatabase;
  let redisServer: ThrowawayRedis;
  let app: INestApplication;
  let admin: Redis;
  const keyPrefix = 'sr:';
  const deliveries = new Deliveries();

  const effects = async () => {
    const rows: { message_id: string }[] = await app
      .get(EntityManager)
      .getConnection()
      .execute(`select message_id from ${SCHEMA}.audit_effects order by message_id`);
    return rows.map((row) => row.message_id);
  };
  const record = async (amount: number) => {
    const [recorded] = await app.get(EventStore).append({
      streamId: `account-${randomUUID()}`,
      streamType: 'account',
      expectedVersion: 'no-stream',
      events: [{ type: 'EntryRecorded', data: { amount } }],
      context: {
        actor: serviceActor('jobs'),
        correlationId: randomUUID(),
        causationId: null,
        traceparent: null,
      },
      outbox: [{ destination: 'events:ledger', event: 0 }],
    });
    if (!recorded) throw new Error('nothing recorded');
    return recorded.metadata.messageId;
  };

  beforeAll(async () => {
    database = await createTestDatabase('runtime_redis_loss');
    redisServer = await startThrowawayRedis();
    admin = new Redis(redisServer.url);
    const ormOptions = serviceOrmOptions({ clientUrl: database.url, schema: SCHEMA });
    const migrator = await MikroORM.init(ormOptions);
    await migrator.em.getConnection().execute(`create schema if not exists ${SCHEMA}`);
    await migrator.getMigrator().up();
    await migrator.em
      .getConnection()
      .execute(`create table ${SCHEMA}.audit_effects (message_id text primary key, amount int not null)`);
    await migrator.close(true);

    @Module({
      imports: [
        MikroOrmModule.forRoot(ormOptions),
        DataServiceModule.forRoot({
          service: 'ledger',
          redisUrl: redisServer.url,
          keyPrefix,
          pollIntervalMs: 20,
        }),
      ],
      controllers: [LedgerAuditController],
      providers: [{ provide: Deliveries, useValue: deliveries }],
    })
    class LedgerServiceModule {}

    app = await NestFactory.create(LedgerServiceModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
    await connectStreamsServer(app, {
      redisUrl: redisServer.url,
      keyPrefix,
      service: 'audit',
      streams: ['events:ledger'],
      blockMs: 100,
      claimIdleMs: 1_000,
    });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    admin?.disconnect();
    await redisServer?.stop();
    await database?.drop();
  });

  it('publishes committed events through the outbox to the consuming service', async () => {
    const first = await record(10);
    await waitFor(async () => (await effects()).includes(first), 'the first event to be handled');
    expect(deliveries.seen).toEqual([first]);
  });

  it('republishes after FLUSHALL; the consumer recreates its group and its inbox drops the copy', async () => {
    const [first] = deliveries.seen;
    await admin.flushall();
    await waitFor(
      async () => deliveries.seen.filter((id) => id === first).length === 2,
      'the republished copy',
    );
    expect(await effects()).toEqual([first]);

    const second = await record(20);
    await waitFor(async () => (await effects()).includes(second), 'an event recorded after the flush');
    expect((await effects()).sort()).toEqual([first, second].sort());
  });

  it("answers RPC errors with the handler's own message, not Nest's generic one", async () => {
    const client = new RedisStreamsClient({
      redisUrl: redisServer.url,
      keyPrefix,
      clientName: 'ledger-test',
    });
    try {
      await expect(lastValueFrom(client.send('audit.close-books', {}))).rejects.toMatchObject({
        message: 'the books are already closed',
        retryable: false,
      });
    } finally {
      await client.close();
    }
  });

  it('loses nothing when Redis restarts empty while events are being recorded', async () => {
    await redisServer.stop({ hard: true });
    const duringOutage = await record(30);
    await redisServer.restart();
    await waitFor(
      async () => (await effects()).includes(duringOutage),
      'the event recorded while Redis was down',
    );
    expect(await effects()).toHaveLength(3);
    expect(new Set(deliveries.seen)).toEqual(new Set(await effects()));
  });
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
