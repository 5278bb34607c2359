import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, RpcException, type MicroserviceOptions } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import type {
  CreateJobRequest,
  CreateWebhookRequest,
  MessageEnvelope,
  VerifiedApiToken,
  WebhookView,
} from '@scriptripper/contracts';
import { AuthRpc, ErrorCodes, JobsRpc, secondsUntilQuotaReset, WebhooksRpc } from '@scriptripper/contracts';
import { RedisStreamsContext, RedisStreamsServer, StreamsExceptionFilter } from '@scriptripper/streams';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { startGateway, type RunningGateway } from '../test-support/gateway-test-app';

const TOKENS = new Map<string, VerifiedApiToken>([
  ['srt_writer', { token_id: 't-1', user_id: 'owner-1', role: 'user', scopes: ['jobs:read', 'jobs:write'] }],
  ['srt_reader', { token_id: 't-2', user_id: 'owner-1', role: 'user', scopes: ['jobs:read'] }],
]);

/** What the jobs stand-in was sent, and the webhooks it keeps. */
const world = { received: [] as MessageEnvelope[], webhooks: new Map<string, WebhookView>() };

const refuse = (code: string, message: string, retryable = false): never => {
  throw new RpcException({ code, message, retryable });
};

@Controller()
class AuthStandIn {
  @MessagePattern(AuthRpc.verifyApiToken)
  verify(@Payload() data: { token: string }) {
    return TOKENS.get(data.token) ?? refuse(ErrorCodes.unauthorized, 'unknown API token');
  }

  @MessagePattern(AuthRpc.jwks)
  jwks() {
    return { keys: [] };
  }
}

/** Answers like the jobs service: webhooks kept in memory; job creates refused as the profile says. */
@Controller()
class JobsStandIn {
  @MessagePattern(WebhooksRpc.create)
  create(@Payload() data: CreateWebhookRequest, @Ctx() context: RedisStreamsContext) {
    world.received.push(context.getEnvelope());
    const webhook = {
      id: randomUUID(),
      url: data.url,
      events: data.events,
      created_at: new Date().toISOString(),
    };
    world.webhooks.set(webhook.id, webhook);
    return { ...webhook, secret: 'whsec_test' };
  }

  @MessagePattern(WebhooksRpc.list)
  list(@Ctx() context: RedisStreamsContext) {
    world.received.push(context.getEnvelope());
    return { items: [...world.webhooks.values()], next_cursor: null };
  }

  @MessagePattern(WebhooksRpc.delete)
  delete(@Payload() data: { webhook_id: string }, @Ctx() context: RedisStreamsContext) {
    world.received.push(context.getEnvelope());
    if (!world.webhooks.delete(data.webhook_id)) refuse(ErrorCodes.notFound, `no webhook ${data.webhook_id}`);
    return { deleted: true };
  }

  @MessagePattern(WebhooksRpc.listDeliveries)
  deliveries(@Payload() data: { webhook_id: string }, @Ctx() context: RedisStreamsContext) {
    world.received.push(context.getEnvelope());
    if (!world.webhooks.has(data.webhook_id)) refuse(ErrorCodes.notFound, `no webhook ${data.webhook_id}`);
    return { items: [], next_cursor: null };
  }

  @MessagePattern(JobsRpc.create)
  createJob(@Payload() data: CreateJobRequest) {
    if (data.profile === 'over-quota') {
      return refuse(ErrorCodes.quotaExceeded, 'you have reached the daily quota of 2 jobs', true);
    }
    if (data.profile === 'over-spend') {
      return refuse(ErrorCodes.spendCapReached, 'your daily LLM spend cap of $0.00 is reached', true);
    }
    return refuse(
      ErrorCodes.quotaExceeded,
      'the transcript is 9 bytes, over the per-transcript quota of 8 bytes',
    );
  }
}

async function startStandIn(
  service: string,
  controller: new () => object,
  redisUrl: string,
  keyPrefix: string,
) {
  @Module({ controllers: [controller] })
  class StandInModule {}
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(StandInModule, {
    strategy: new RedisStreamsServer({
      redisUrl,
      keyPrefix,
      service,
      streams: [],
      blockMs: 200,
      metricsRegistry: new Registry(),
    }),
    logger: false,
  });
  app.useGlobalFilters(new StreamsExceptionFilter());
  await app.listen();
  return app;
}

/**
 * The gateway's webhook routes against a jobs stand-in over the real transport: scopes, body
 * validation before any call, the calls it makes, and how quota and spend-cap refusals reach
 * clients (429 / 402 in the one error shape, Retry-After to the daily reset when retryable).
 */
describe('the gateway webhook routes, and quota refusals', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('gateway-webhooks');
  let blobRoot: string;
  let standIns: INestMicroservice[];
  let gateway: RunningGateway;

  const call = (path: string, token: string, method = 'GET', body?: unknown) =>
    fetch(`${gateway.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const errorOf = async (response: Response) =>
    ({ status: response.status, ...((await response.json()) as { error: object }).error }) as Record<
      string,
      unknown
    >;

  beforeAll(async () => {
    blobRoot = await mkdtemp(join(tmpdir(), 'sr-gateway-webhooks-'));
    standIns = await Promise.all([
      startStandIn('auth', AuthStandIn, redisUrl, keyPrefix),
      startStandIn('jobs', JobsStandIn, redisUrl, keyPrefix),
    ]);
    gateway = await startGateway({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      BLOB_ROOT: blobRoot,
      RPC_TIMEOUT_MS: '5000',
    });
  });

  afterAll(async () => {
    await gateway?.app.close();
    await Promise.all((standIns ?? []).map((app) => app.close()));
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
  });

  it('registers a webhook as the caller (201) and shows it in the list', async () => {
    const body = { url: 'https://hooks.example.com/sr', events: ['job.completed'] };
    const created = await call('/webhooks', 'srt_writer', 'POST', body);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ ...body, secret: 'whsec_test' });
    const sent = world.received.filter((envelope) => envelope.type === WebhooksRpc.create).at(-1);
    expect(sent?.actor.id).toBe('owner-1');
    expect(sent?.data).toEqual(body);
    const listed = await call('/webhooks', 'srt_reader');
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { items: unknown[] }).items).toHaveLength(1);
  });

  it('needs jobs:write to register or delete, jobs:read to read', async () => {
    const body = { url: 'https://hooks.example.com/sr', events: ['job.failed'] };
    expect(await errorOf(await call('/webhooks', 'srt_reader', 'POST', body))).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect((await call(`/webhooks/${randomUUID()}`, 'srt_reader', 'DELETE')).status).toBe(403);
    expect((await call('/webhooks', 'srt_nobody')).status).toBe(401);
  });

  it.each([
    [{ events: ['job.completed'] }],
    [{ url: 'https://hooks.example.com/sr', events: [] }],
    [{ url: 'https://hooks.example.com/sr', events: ['job.started'] }],
    [{ url: 'https://hooks.example.com/sr', events: ['job.failed', 'job.failed'] }],
    [{ url: 'https://hooks.example.com/sr' }],
  ])('refuses the body %j with 400 before calling jobs', async (body) => {
    const before = world.received.length;
    expect(await errorOf(await call('/webhooks', 'srt_writer', 'POST', body))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      retryable: false,
    });
    expect(world.received.length).toBe(before);
  });

  it('deletes with 204, answers 404 for an unknown webhook and 400 for a malformed id', async () => {
    const created = (await (
      await call('/webhooks', 'srt_writer', 'POST', { url: 'https://h.example.com/', events: ['job.failed'] })
    ).json()) as { id: string };
    expect((await call(`/webhooks/${created.id}`, 'srt_writer', 'DELETE')).status).toBe(204);
    expect(await errorOf(await call(`/webhooks/${created.id}/deliveries`, 'srt_reader'))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    expect((await call('/webhooks/not-an-id/deliveries', 'srt_reader')).status).toBe(400);
  });

  it('answers a daily quota refusal with 429 and Retry-After to the next UTC midnight', async () => {
    const before = secondsUntilQuotaReset(new Date());
    const response = await call('/jobs', 'srt_writer', 'POST', {
      profile: 'over-quota',
      transcript: 'WEBVTT',
    });
    const after = secondsUntilQuotaReset(new Date());
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeLessThanOrEqual(before);
    expect(retryAfter).toBeGreaterThanOrEqual(after);
    expect(await errorOf(response)).toEqual({
      status: 429,
      code: 'QUOTA_EXCEEDED',
      message: 'you have reached the daily quota of 2 jobs',
      retryable: true,
    });
  });

  it('answers a spend cap refusal with 402 and Retry-After', async () => {
    const response = await call('/jobs', 'srt_writer', 'POST', {
      profile: 'over-spend',
      transcript: 'WEBVTT',
    });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorOf(response)).toMatchObject({
      status: 402,
      code: 'SPEND_CAP_REACHED',
      retryable: true,
    });
  });

  it('answers a transcript over the size quota with 429 and no Retry-After: waiting would not help', async () => {
    const response = await call('/jobs', 'srt_writer', 'POST', {
      profile: 'meeting',
      transcript: 'WEBVTT...',
    });
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await errorOf(response)).toMatchObject({ status: 429, code: 'QUOTA_EXCEEDED', retryable: false });
  });
});
