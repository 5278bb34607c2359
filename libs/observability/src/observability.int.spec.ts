import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Controller, Get, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { PinoLogger } from 'nestjs-pino';
import { Writable } from 'node:stream';
import { loadConfig, ServiceConfig } from '@scriptripper/config';
import {
  createTestDatabase,
  startThrowawayRedis,
  type TestDatabase,
  type ThrowawayRedis,
} from '@scriptripper/testing';
import { createFastifyAdapter } from './bootstrap/fastify-adapter';
import { currentCorrelationId, runWithCorrelationId } from './logging/correlation-context';
import { ObservabilityModule } from './observability.module';

/** Collects JSON log lines in memory. */
class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    for (const line of chunk.toString().split('\n').filter(Boolean)) this.lines.push(JSON.parse(line));
    callback();
  }
}

@Controller('orders')
class OrdersController {
  constructor(private readonly logger: PinoLogger) {}

  @Get(':id')
  find(): { correlationId: string | undefined } {
    this.logger.info({ user: { password: 'hunter2' }, token: 'abc' }, 'looking up an order');
    return { correlationId: currentCorrelationId() };
  }
}

describe('ObservabilityModule', () => {
  let database: TestDatabase;
  let redis: ThrowawayRedis;
  let app: NestFastifyApplication;
  const logs = new LogCapture();

  beforeAll(async () => {
    database = await createTestDatabase('observability');
    redis = await startThrowawayRedis();
    const config = loadConfig(ServiceConfig, { REDIS_URL: redis.url, SERVICE_INSTANCE: 'test-1' });
    const root: DynamicModule = {
      module: class TestAppModule {},
      imports: [
        ObservabilityModule.forRoot({ service: 'probe', config, postgres: true, logDestination: logs }),
        MikroOrmModule.forRoot({
          driver: PostgreSqlDriver,
          clientUrl: database.url,
          entities: [],
          discovery: { warnWhenNoEntities: false },
        }),
      ],
      controllers: [OrdersController],
    };
    const moduleRef = await Test.createTestingModule({ imports: [root] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    await database?.drop();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });

  async function pollStatus(url: string, expected: number): Promise<number> {
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await get(url)).statusCode;
      if (status === expected) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return status;
  }

  it('answers live while the process runs', async () => {
    const response = await get('/health/live');

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });

  it('answers ready when Postgres and Redis answer', async () => {
    expect(await pollStatus('/health/ready', 200)).toBe(200);
    expect((await get('/health/ready')).json()).toMatchObject({
      status: 'ok',
      info: { redis: { status: 'up' }, postgres: { status: 'up' } },
    });
  });

  it('answers 503 on ready while Redis is down, and ready again once it is back', async () => {
    await redis.stop();
    expect(await pollStatus('/health/ready', 503)).toBe(503);
    expect((await get('/health/ready')).json()).toMatchObject({
      status: 'error',
      error: { redis: { status: 'down' } },
      info: { postgres: { status: 'up' } },
    });
    expect((await get('/health/live')).statusCode).toBe(200);

    await redis.restart();
    expect(await pollStatus('/health/ready', 200)).toBe(200);
  });

  it('serves Prometheus text with process metrics and request durations by route template', async () => {
    await get('/orders/42');
    await get('/no-such-route');

    const response = await get('/metrics');

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('# TYPE process_cpu_user_seconds_total counter');
    const orders = response.body
      .split('\n')
      .find(
        (line) =>
          line.startsWith('http_request_duration_seconds_count') && line.includes('route="/orders/:id"'),
      );
    expect(orders).toContain('status_code="200"');
    expect(orders).toContain('service="probe"');
    expect(orders).toMatch(/ [1-9]\d*$/);
    expect(response.body).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="unmatched",status_code="404"/,
    );
  });

  it('keeps a given X-Request-Id as the correlation id of the request and its log lines', async () => {
    const response = await get('/orders/7', {
      'x-request-id': 'req-abc-123',
      authorization: 'Bearer secret-jwt',
    });

    expect(response.headers['x-request-id']).toBe('req-abc-123');
    expect(response.json()).toEqual({ correlationId: 'req-abc-123' });
    const lines = logs.lines.filter((line) => line['correlationId'] === 'req-abc-123');
    expect(lines.map((line) => line['message'])).toEqual(['looking up an order', 'request completed']);
    expect(lines[0]).toMatchObject({ service: 'probe', instance: 'test-1' });
  });

  it('makes a correlation id when the request has none or an unacceptable one', async () => {
    const plain = await get('/orders/8');
    const forged = await get('/orders/9', { 'x-request-id': 'bad\nid {"level":60}' });

    expect(plain.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(plain.headers['x-request-id']).not.toBe(forged.headers['x-request-id']);
  });

  it('redacts credentials from log lines', async () => {
    await get('/orders/10?token=magic-link-token&page=2', {
      'x-request-id': 'req-redact',
      authorization: 'Bearer secret-jwt',
      cookie: 'session=secret-cookie',
    });

    const text = JSON.stringify(logs.lines.filter((line) => line['correlationId'] === 'req-redact'));
    expect(text).toContain('[REDACTED]');
    expect(text).toContain('page=2');
    for (const secret of ['secret-jwt', 'secret-cookie', 'magic-link-token', 'hunter2', '"abc"']) {
      expect(text).not.toContain(secret);
    }
  });

  it('puts the correlation id of the current context on lines logged outside any request', async () => {
    const logger = await app.resolve(PinoLogger);

    runWithCorrelationId('stream-message-1', () => logger.info('handled a stream message'));

    const line = logs.lines.find((entry) => entry['message'] === 'handled a stream message');
    expect(line).toMatchObject({ correlationId: 'stream-message-1', service: 'probe' });
  });

  it('does not log health probes and scrapes', () => {
    expect(logs.lines.some((line) => JSON.stringify(line).includes('/health/'))).toBe(false);
  });
});
