import { Controller, type LoggerService } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern } from '@nestjs/microservices';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { currentCorrelationId, tracingActive } from '@scriptripper/observability';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { withContext } from './envelope';
import { RedisStreamsClient } from './redis-streams.client';
import type { RedisStreamsContext } from './redis-streams.context';
import { forkTypeScript } from './testing-fixtures/run-typescript';
import {
  Probe,
  startService,
  testServerOptions,
  waitFor,
  type RunningService,
} from './testing-fixtures/test-service';

/** One span as an OTLP/HTTP JSON receiver sees it. */
interface ReceivedSpan {
  readonly service: string;
  readonly name: string;
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
}

interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: Record<string, unknown>[] }[];
  }[];
}

/** A local OTLP/HTTP receiver: accepts `POST /v1/traces` in JSON and keeps every span. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type']?.includes('json')) {
        spans.push(...spansOf(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport));
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function spansOf(body: OtlpExport): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service =
      resourceSpans.resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value
        .stringValue ?? '';
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        service,
        name: String(span['name']),
        kind: Number(span['kind']),
        traceId: hexId(span['traceId']),
        spanId: hexId(span['spanId']),
        parentSpanId: hexId(span['parentSpanId']),
      })),
    );
  });
}

/** OTLP/JSON ids are hex; a protobuf-style JSON encoding would give base64. */
function hexId(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  return /^[0-9a-f]+$/.test(value) ? value : Buffer.from(value, 'base64').toString('hex');
}

const OTLP_KIND = { server: 2, client: 3, producer: 4, consumer: 5 };

interface FixtureReport {
  readonly status: number;
  readonly body: unknown;
  readonly eventCorrelationId: string;
  readonly serverLog: { message: string; correlationId?: string }[];
}

@Controller()
class EchoController {
  @MessagePattern('echo.traceparent')
  echo(@Ctx() context: RedisStreamsContext) {
    return { traceparent: context.getEnvelope().traceparent };
  }

  @EventPattern('AlwaysFails')
  fail(): never {
    throw new Error('the ledger is closed');
  }
}

/** The server's log lines, each with the correlation id current when it was written. */
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

describe('traces and correlation ids across the Redis Streams transport', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('streams-tracing');

  afterAll(async () => {
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  it('exports one trace over OTLP from the HTTP request through the RPC to the event it caused, and binds the correlation id in every handler', async () => {
    const receiver = await startOtlpReceiver();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    let report: FixtureReport | undefined;
    try {
      const child = forkTypeScript(join(__dirname, 'testing-fixtures/traced-services.fixture.ts'), {
        REDIS_URL: redisUrl,
        KEY_PREFIX: keyPrefix,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        REQUEST_ID: 'req-trace-17',
        TRACEPARENT: `00-${traceId}-00f067aa0ba902b7-01`,
      });
      child.on('message', (message) => (report = message as FixtureReport));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
    } finally {
      await receiver.close();
    }

    expect(report).toMatchObject({
      status: 200,
      body: { id: '17', correlationId: 'req-trace-17' },
      eventCorrelationId: 'req-trace-17',
    });
    // The server's own line about each message is written within the message's correlation.
    const handled = (report?.serverLog ?? []).filter((line) => / handled in /.test(line.message));
    expect(handled.map((line) => line.message.split(' ')[0]).sort()).toEqual(['LookupDone', 'ledger.lookup']);
    expect(handled.map((line) => line.correlationId)).toEqual(['req-trace-17', 'req-trace-17']);

    const span = (name: string): ReceivedSpan => {
      const found = receiver.spans.find((candidate) => candidate.name === name);
      if (!found) throw new Error(`no span "${name}" among ${JSON.stringify(receiver.spans)}`);
      return found;
    };
    const request = span('GET /orders/:id');
    const send = span('send ledger.lookup');
    const handle = span('handle ledger.lookup');
    const publish = span('publish LookupDone');
    const consume = span('consume LookupDone');
    expect([request, send, handle, publish, consume].map((s) => s.traceId)).toEqual(Array(5).fill(traceId));
    expect(request).toMatchObject({
      kind: OTLP_KIND.server,
      parentSpanId: '00f067aa0ba902b7',
      service: 'tracing-fixture',
    });
    expect(send).toMatchObject({ kind: OTLP_KIND.client, parentSpanId: request.spanId });
    expect(handle).toMatchObject({ kind: OTLP_KIND.server, parentSpanId: send.spanId });
    expect(publish).toMatchObject({ kind: OTLP_KIND.producer, parentSpanId: handle.spanId });
    expect(consume).toMatchObject({ kind: OTLP_KIND.consumer, parentSpanId: publish.spanId });
  });

  it("passes the caller's traceparent through unchanged when tracing is not configured", async () => {
    expect(tracingActive()).toBe(false);
    let service: RunningService | undefined;
    const client = new RedisStreamsClient({ redisUrl, keyPrefix, clientName: 'plain' });
    try {
      service = await startService(
        EchoController,
        new Probe(),
        testServerOptions({ redisUrl, keyPrefix, service: 'echo', streams: [] }),
      );
      const given = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const answer = await lastValueFrom(
        client.send<{ traceparent: string | null }>(
          'echo.traceparent',
          withContext({ traceparent: given }, {}),
        ),
      );
      expect(answer.traceparent).toBe(given);
    } finally {
      await client.close();
      await service?.app.close();
    }
  });

  it('writes the failure and dead-letter lines of a message within its correlation id', async () => {
    const log = new ContextLogger();
    const events = new RedisStreamsClient({
      redisUrl,
      keyPrefix,
      clientName: 'failing',
      routeEvent: () => 'events:failing',
    });
    let service: RunningService | undefined;
    try {
      service = await startService(
        EchoController,
        new Probe(),
        testServerOptions({
          redisUrl,
          keyPrefix,
          service: 'failing',
          streams: ['events:failing'],
          maxDeliveries: 2,
          logger: log,
        }),
      );
      await lastValueFrom(events.emit('AlwaysFails', withContext({ correlationId: 'req-doomed' }, {})));
      await waitFor(
        () => log.lines.some((line) => line.message.includes('moved to the DLQ')),
        'the dead letter',
      );
    } finally {
      await events.close();
      await service?.app.close();
    }

    const failed = log.lines.filter((line) => line.message.includes(' failed in '));
    expect(failed).toHaveLength(2);
    expect(failed[0]?.message).toMatch(
      /^AlwaysFails \(.+\) from events:failing, delivery 1 failed in .* ms: .*the ledger is closed/,
    );
    const deadLetter = log.lines.find((line) => line.message.includes('moved to the DLQ'));
    expect([...failed, deadLetter].map((line) => line?.correlationId)).toEqual(Array(3).fill('req-doomed'));
  });
});
