import { randomUUID } from 'node:crypto';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, RpcException, type MicroserviceOptions } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import type { JobStatus, JobStatusChanged, VerifiedApiToken } from '@scriptripper/contracts';
import { AuthRpc, ErrorCodes, JOB_EVENTS_STREAM, JobEvents } from '@scriptripper/contracts';
import {
  createEnvelope,
  RedisStreamsServer,
  StreamPublisher,
  StreamsExceptionFilter,
} from '@scriptripper/streams';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { startGateway, type RunningGateway } from '../test-support/gateway-test-app';

const TOKENS = new Map<string, VerifiedApiToken>([
  ['srt_owner', { token_id: 't-1', user_id: 'owner-1', role: 'user', scopes: ['jobs:read', 'jobs:write'] }],
  ['srt_other', { token_id: 't-2', user_id: 'other-1', role: 'user', scopes: ['jobs:read'] }],
  ['srt_writer', { token_id: 't-3', user_id: 'owner-1', role: 'user', scopes: ['jobs:write'] }],
]);

@Controller()
class AuthStandIn {
  @MessagePattern(AuthRpc.verifyApiToken)
  verify(@Payload() data: { token: string }) {
    const known = TOKENS.get(data.token);
    if (!known)
      throw new RpcException({ code: ErrorCodes.unauthorized, message: 'unknown', retryable: false });
    return known;
  }

  @MessagePattern(AuthRpc.jwks)
  jwks() {
    return { keys: [] };
  }
}

interface StatusEvent {
  readonly id: string | undefined;
  readonly data: { job_id: string; status: string; attempt: number; at: string };
}

/** An event stream read with fetch streaming, as the console reads it (bearer header). */
class FetchedEventStream {
  readonly events: StatusEvent[] = [];
  private text = '';
  private readonly reading: Promise<void>;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  constructor(readonly response: Response) {
    const reader = response.body?.getReader();
    this.reader = reader;
    const decoder = new TextDecoder();
    this.reading = (async () => {
      if (!reader) return;
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        this.text += decoder.decode(value, { stream: true });
        const blocks = this.text.split('\n\n');
        this.text = blocks.pop() ?? '';
        for (const block of blocks.filter((candidate) => candidate.startsWith('event: status'))) {
          const field = (name: string) =>
            block
              .split('\n')
              .find((line) => line.startsWith(`${name}: `))
              ?.slice(name.length + 2);
          this.events.push({
            id: field('id'),
            data: JSON.parse(field('data') ?? '{}') as StatusEvent['data'],
          });
        }
      }
    })();
  }

  async waitFor(count: number): Promise<StatusEvent[]> {
    const deadline = Date.now() + 20_000;
    while (this.events.length < count) {
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting for ${count} events; got ${this.events.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.events;
  }

  async close(): Promise<void> {
    await this.reader?.cancel().catch(() => undefined);
    await this.reading;
  }
}

describe('GET /jobs/events: all of my jobs live', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('user-job-events');
  let standIn: INestMicroservice;
  let publisher: StreamPublisher;
  let gateway: RunningGateway;
  const open: FetchedEventStream[] = [];

  beforeAll(async () => {
    @Module({ controllers: [AuthStandIn] })
    class StandInModule {}
    standIn = await NestFactory.createMicroservice<MicroserviceOptions>(StandInModule, {
      strategy: new RedisStreamsServer({
        redisUrl,
        keyPrefix,
        service: 'auth',
        streams: [],
        blockMs: 200,
        metricsRegistry: new Registry(),
      }),
      logger: false,
    });
    standIn.useGlobalFilters(new StreamsExceptionFilter());
    await standIn.listen();
    publisher = new StreamPublisher({ redisUrl, keyPrefix });
    gateway = await startGateway({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      SSE_HEARTBEAT_MS: '200',
    });
  });

  afterAll(async () => {
    await Promise.all(open.map((stream) => stream.close()));
    await gateway?.app.close();
    await standIn?.close();
    await publisher?.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  const openStream = async (token: string) => {
    const response = await fetch(`${gateway.url}/api/v1/jobs/events`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    const stream = new FetchedEventStream(response);
    open.push(stream);
    return stream;
  };

  let clock = Date.parse('2026-03-01T10:00:00.000Z');
  const change = (jobId: string, userId: string, status: JobStatus, attempt = 1): Promise<unknown> => {
    clock += 1_000;
    const data: JobStatusChanged = {
      job_id: jobId,
      user_id: userId,
      status,
      attempt,
      at: new Date(clock).toISOString(),
    };
    const type = { queued: JobEvents.queued, running: JobEvents.started, completed: JobEvents.completed }[
      status as 'queued' | 'running' | 'completed'
    ];
    return publisher.publish(JOB_EVENTS_STREAM, createEnvelope(type, data));
  };

  it("streams the status changes of two of my jobs, not another user's, and stays open after a job ends", async () => {
    const stream = await openStream('srt_owner');
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('cache-control')).toBe('no-cache, no-transform');

    const first = randomUUID();
    const second = randomUUID();
    const theirs = randomUUID();
    await change(first, 'owner-1', 'queued');
    await change(theirs, 'other-1', 'queued');
    await change(second, 'owner-1', 'queued');
    // The same status again (JobCreated then JobQueued) is no news.
    await change(second, 'owner-1', 'queued');
    await change(first, 'owner-1', 'running');
    await change(first, 'owner-1', 'completed');
    await change(theirs, 'other-1', 'running');
    await change(second, 'owner-1', 'running');

    const events = await stream.waitFor(5);
    expect(
      events.map((event) => `${event.data.job_id === first ? 'first' : 'second'} ${event.data.status}`),
    ).toEqual(['first queued', 'second queued', 'first running', 'first completed', 'second running']);
    expect(events.every((event) => event.id !== undefined && /^\d+-\d+$/.test(event.id))).toBe(true);
    expect(Object.keys(events[0]?.data ?? {}).sort()).toEqual(['at', 'attempt', 'job_id', 'status']);

    // Still open after one job ended: a retry of the other arrives.
    await change(second, 'owner-1', 'queued', 2);
    const more = await stream.waitFor(6);
    expect(more[5]?.data).toMatchObject({ job_id: second, status: 'queued', attempt: 2 });
  });

  it("gives another user only their own jobs' changes", async () => {
    const stream = await openStream('srt_other');
    const mine = randomUUID();
    const theirs = randomUUID();

    await change(mine, 'owner-1', 'queued');
    await change(theirs, 'other-1', 'queued');

    const events = await stream.waitFor(1);
    expect(events.map((event) => event.data.job_id)).toEqual([theirs]);
  });

  it('needs jobs:read (403) and credentials (401), in the error shape', async () => {
    const forbidden = await fetch(`${gateway.url}/api/v1/jobs/events`, {
      headers: { authorization: 'Bearer srt_writer' },
    });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');

    const anonymous = await fetch(`${gateway.url}/api/v1/jobs/events`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
  });
});
