// Runs in a child process (the OTLP exporter loads `http` with a dynamic import, which Jest
// refuses): an HTTP app and a Streams service with tracing on, exporting to the parent's receiver.
// One request crosses both; the answer, the events seen and the server's log lines go back by IPC.
import 'reflect-metadata';
import { Controller, Get, Inject, Module, Param, type LoggerService } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Writable } from 'node:stream';
import { lastValueFrom } from 'rxjs';
import { loadConfig, ServiceConfig } from '@scriptripper/config';
import {
  createFastifyAdapter,
  currentCorrelationId,
  ObservabilityModule,
  shutdownTracing,
  startTracing,
} from '@scriptripper/observability';
import { withContext } from '../envelope';
import { RedisStreamsClient } from '../redis-streams.client';
import type { RedisStreamsContext } from '../redis-streams.context';
import { Probe, startService, testServerOptions, waitFor } from './test-service';

const redisUrl = process.env['REDIS_URL'] as string;
const keyPrefix = process.env['KEY_PREFIX'] as string;

/** Log lines of the Streams server, each with the correlation id current when it was written. */
class ContextLogger implements LoggerService {
  readonly lines: { message: string; correlationId: string | undefined }[] = [];
  log(message: string): void {
    this.lines.push({ message, correlationId: currentCorrelationId() });
  }
  warn(message: string): void {
    this.log(message);
  }
  error(message: string): void {
    this.log(message);
  }
}

@Controller()
class LedgerController {
  constructor(@Inject(Probe) private readonly probe: Probe) {}

  @MessagePattern('ledger.lookup')
  async lookup(@Payload() data: { id: string }, @Ctx() context: RedisStreamsContext) {
    const events = this.probe.state.get('events') as RedisStreamsClient;
    // An event sent while handling: it continues the handler's trace and correlation.
    await lastValueFrom(
      events.emit('LookupDone', withContext({ correlationId: context.getEnvelope().correlationId }, data)),
    );
    return { id: data.id, correlationId: currentCorrelationId() };
  }

  @EventPattern('LookupDone')
  done() {
    this.probe.handled.push({ type: 'LookupDone', data: currentCorrelationId(), deliveries: 1 });
  }
}

@Controller('orders')
class OrdersController {
  constructor(@Inject(RedisStreamsClient) private readonly client: RedisStreamsClient) {}

  @Get(':id')
  find(@Param('id') id: string) {
    return lastValueFrom(
      this.client.send('ledger.lookup', withContext({ correlationId: currentCorrelationId() }, { id })),
    );
  }
}

async function main(): Promise<void> {
  if (!startTracing({ service: 'tracing-fixture' })) throw new Error('tracing is not configured');
  const probe = new Probe();
  const serverLog = new ContextLogger();
  const events = new RedisStreamsClient({
    redisUrl,
    keyPrefix,
    clientName: 'ledger-events',
    routeEvent: () => 'events:ledger',
  });
  probe.state.set('events', events);
  const service = await startService(
    LedgerController,
    probe,
    testServerOptions({
      redisUrl,
      keyPrefix,
      service: 'ledger',
      streams: ['events:ledger'],
      logger: serverLog,
    }),
  );
  const client = new RedisStreamsClient({ redisUrl, keyPrefix, clientName: 'edge' });
  const config = loadConfig(ServiceConfig, { REDIS_URL: redisUrl, SERVICE_INSTANCE: 'edge-1' });
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  @Module({
    imports: [
      ObservabilityModule.forRoot({ service: 'edge', config, postgres: false, logDestination: quiet }),
    ],
    controllers: [OrdersController],
    providers: [{ provide: RedisStreamsClient, useValue: client }],
  })
  class EdgeModule {}
  const moduleRef = await Test.createTestingModule({ imports: [EdgeModule] }).compile();
  const http = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter());
  await http.init();
  await http.getHttpAdapter().getInstance().ready();

  const response = await http.inject({
    method: 'GET',
    url: '/orders/17',
    headers: {
      'x-request-id': process.env['REQUEST_ID'] as string,
      traceparent: process.env['TRACEPARENT'] as string,
    },
  });
  await waitFor(() => probe.handled.length === 1, 'the LookupDone event');

  // The service first: closing waits for its handlers, whose spans end after their reply is sent.
  await service.app.close();
  await events.close();
  await client.close();
  await http.close();
  await shutdownTracing(); // flushes every span to the receiver (closing the app did already)
  process.send?.({
    status: response.statusCode,
    body: response.json(),
    eventCorrelationId: probe.handled[0]?.data,
    serverLog: serverLog.lines,
  });
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
