import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, RpcException, type MicroserviceOptions } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import type {
  CreateJobRequest,
  JobStatus,
  JobStatusChanged,
  JobView,
  ListJobsRequest,
  MessageEnvelope,
  VerifiedApiToken,
} from '@scriptripper/contracts';
import { AuthRpc, ErrorCodes, JOB_EVENTS_STREAM, JobEvents, JobsRpc } from '@scriptripper/contracts';
import {
  createEnvelope,
  RedisStreamsContext,
  RedisStreamsServer,
  StreamPublisher,
  StreamsExceptionFilter,
} from '@scriptripper/streams';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { startGateway, type RunningGateway } from '../test-support/gateway-test-app';

const OWNER: VerifiedApiToken = {
  token_id: 't-1',
  user_id: 'owner-1',
  role: 'user',
  scopes: ['jobs:read', 'jobs:write'],
};
const OTHER: VerifiedApiToken = {
  token_id: 't-2',
  user_id: 'other-1',
  role: 'user',
  scopes: ['jobs:read', 'jobs:write'],
};
const TOKENS = new Map([
  ['srt_owner', OWNER],
  ['srt_other', OTHER],
]);
const UPLOAD_LIMIT = 65_536;

/** The jobs stand-in's world: jobs by id and every envelope it was sent. */
const world = {
  jobs: new Map<string, JobView>(),
  received: [] as MessageEnvelope[],
};

const refuse = (code: string, message: string): never => {
  throw new RpcException({ code, message, retryable: false });
};

function jobOf(id: string, userId: string, status: JobStatus = 'queued'): JobView {
  const at = new Date().toISOString();
  return {
    id,
    user_id: userId,
    profile_id: randomUUID(),
    profile_key: 'meeting',
    profile_version: 1,
    status,
    input_uri: `blob://sha256/${'0'.repeat(64)}`,
    format: null,
    filename: null,
    meeting_date: null,
    attempts: 1,
    metrics: null,
    cost: 0,
    error: null,
    created_at: at,
    updated_at: at,
    completed_at: null,
  };
}

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

@Controller()
class JobsStandIn {
  private visible(jobId: string, context: RedisStreamsContext): JobView {
    const envelope = context.getEnvelope();
    world.received.push(envelope);
    const job = world.jobs.get(jobId);
    return job && job.user_id === envelope.actor.id ? job : refuse(ErrorCodes.notFound, 'no such job');
  }

  @MessagePattern(JobsRpc.create)
  create(@Payload() data: CreateJobRequest, @Ctx() context: RedisStreamsContext) {
    const envelope = context.getEnvelope();
    world.received.push(envelope);
    const job = jobOf(randomUUID(), envelope.actor.id);
    world.jobs.set(job.id, job);
    return { job_id: job.id, replayed: false };
  }

  @MessagePattern(JobsRpc.get)
  get(@Payload() data: { job_id: string }, @Ctx() context: RedisStreamsContext) {
    return this.visible(data.job_id, context);
  }

  @MessagePattern(JobsRpc.list)
  list(@Payload() data: ListJobsRequest, @Ctx() context: RedisStreamsContext) {
    const envelope = context.getEnvelope();
    world.received.push(envelope);
    const items = [...world.jobs.values()].filter(
      (job) => job.user_id === envelope.actor.id && (!data.status || job.status === data.status),
    );
    return { items, next_cursor: 'next-page' };
  }

  @MessagePattern(JobsRpc.cancel)
  cancel(@Payload() data: { job_id: string }, @Ctx() context: RedisStreamsContext) {
    const job = this.visible(data.job_id, context);
    const cancelled: JobView = { ...job, status: 'cancelled', updated_at: new Date().toISOString() };
    world.jobs.set(job.id, cancelled);
    return cancelled;
  }
}

async function startStandIn(
  service: string,
  controller: new () => object,
  redisUrl: string,
  keyPrefix: string,
): Promise<INestMicroservice> {
  @Module({ controllers: [controller] })
  class StandInModule {}
  const server = new RedisStreamsServer({
    redisUrl,
    keyPrefix,
    service,
    streams: [],
    blockMs: 200,
    metricsRegistry: new Registry(),
  });
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(StandInModule, {
    strategy: server,
    logger: false,
  });
  app.useGlobalFilters(new StreamsExceptionFilter());
  await app.listen();
  return app;
}

describe('the gateway job routes', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('gateway-jobs');
  let blobRoot: string;
  let standIns: INestMicroservice[];
  let publisher: StreamPublisher;
  let gateway: RunningGateway;
  const openStreams: EventStreamReader[] = [];

  const url = (path: string) => `${gateway.url}${path}`;
  const as = (token: string, headers: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    ...headers,
  });
  const postJson = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url('/api/v1/jobs'), {
      method: 'POST',
      headers: as('srt_owner', { 'content-type': 'application/json', ...headers }),
      body: JSON.stringify(body),
    });
  const postForm = (form: FormData) =>
    fetch(url('/api/v1/jobs'), { method: 'POST', headers: as('srt_owner'), body: form });
  const lastCreate = () =>
    world.received.filter((envelope) => envelope.type === JobsRpc.create).at(-1) as
      MessageEnvelope<CreateJobRequest> | undefined;
  const lastOf = (type: string) => world.received.filter((envelope) => envelope.type === type).at(-1);
  const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');
  const blobPath = (hash: string) => join(blobRoot, hash.slice(0, 2), hash.slice(2, 4), hash);
  const ownJob = (status: JobStatus = 'queued') => {
    const job = jobOf(randomUUID(), OWNER.user_id, status);
    world.jobs.set(job.id, job);
    return job;
  };
  const publishChange = (change: JobStatusChanged, type: string) =>
    publisher.publish(JOB_EVENTS_STREAM, createEnvelope(type, change));
  const openEvents = async (jobId: string, token = 'srt_owner') => {
    const stream = await EventStreamReader.open(url(`/api/v1/jobs/${jobId}/events`), as(token));
    openStreams.push(stream);
    return stream;
  };

  async function expectError(response: Response, status: number, code: string) {
    const body = (await response.json()) as { error: { code: string } };
    expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
  }

  beforeAll(async () => {
    blobRoot = await mkdtemp(join(tmpdir(), 'sr-gateway-jobs-'));
    standIns = await Promise.all([
      startStandIn('auth', AuthStandIn, redisUrl, keyPrefix),
      startStandIn('jobs', JobsStandIn, redisUrl, keyPrefix),
    ]);
    publisher = new StreamPublisher({ redisUrl, keyPrefix });
    gateway = await startGateway({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      BLOB_ROOT: blobRoot,
      RPC_TIMEOUT_MS: '5000',
      BODY_LIMIT_BYTES: '2048',
      UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT),
      SSE_HEARTBEAT_MS: '200',
    });
  });

  afterAll(async () => {
    for (const stream of openStreams) stream.close();
    await gateway?.app.close();
    await publisher?.close();
    await Promise.all((standIns ?? []).map((app) => app.close()));
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
  });

  describe('POST /jobs', () => {
    it('stores a JSON transcript in the blob store and asks jobs to create the job with its reference', async () => {
      const transcript = 'WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ana>We ship on Friday.\n';

      const response = await postJson({
        profile: 'meeting',
        profile_version: 2,
        transcript,
        format: 'webvtt',
        filename: 'standup.vtt',
        meeting_date: '2026-11-27',
      });

      expect(response.status).toBe(202);
      const { job_id } = (await response.json()) as { job_id: string };
      const sent = lastCreate();
      expect(world.jobs.get(job_id)?.user_id).toBe(OWNER.user_id);
      expect(sent?.actor.id).toBe(OWNER.user_id);
      expect(sent?.data).toEqual({
        profile: 'meeting',
        profile_version: 2,
        format: 'webvtt',
        filename: 'standup.vtt',
        meeting_date: '2026-11-27',
        input: {
          uri: `blob://sha256/${sha256(transcript)}`,
          sha256: sha256(transcript),
          size: Buffer.byteLength(transcript),
        },
        request_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(await readFile(blobPath(sha256(transcript)), 'utf8')).toBe(transcript);
    });

    it('accepts a JSON transcript above the general body limit on this route, up to the upload limit', async () => {
      const transcript = 'Ana: a long meeting.\n'.repeat(1_000);

      const response = await postJson({ profile: 'meeting', transcript });

      expect(response.status).toBe(202);
      expect(lastCreate()?.data.input.sha256).toBe(sha256(transcript));
    });

    it('streams a multipart upload into the blob store, naming the job after the file', async () => {
      const content = Buffer.from('1\n00:00:00,000 --> 00:00:02,000\nAna: Hello.\n');
      const form = new FormData();
      form.append('profile', 'meeting');
      form.append('profile_version', '1');
      form.append('file', new Blob([content]), 'call.srt');

      const response = await postForm(form);

      expect(response.status).toBe(202);
      const sent = lastCreate();
      expect(sent?.data).toMatchObject({
        profile: 'meeting',
        profile_version: 1,
        filename: 'call.srt',
        input: { sha256: sha256(content), size: content.length },
      });
      expect(await readFile(blobPath(sha256(content)))).toEqual(content);
    });

    it('leaves the job unnamed when the uploaded file name holds control characters (a NUL failed jobs)', async () => {
      const body =
        '--XX\r\nContent-Disposition: form-data; name="profile"\r\n\r\nmeeting\r\n' +
        '--XX\r\nContent-Disposition: form-data; name="file"; filename="a\u0000b\u001b.txt"\r\n\r\n' +
        'Ana: Hello.\r\n--XX--\r\n';

      const response = await fetch(url('/api/v1/jobs'), {
        method: 'POST',
        headers: as('srt_owner', { 'content-type': 'multipart/form-data; boundary=XX' }),
        body,
      });

      expect(response.status).toBe(202);
      expect(lastCreate()?.data.filename).toBeUndefined();
    });

    it('hashes the JSON and multipart forms of one request alike', async () => {
      const transcript = 'Ana: Same request, two forms.\n';
      await postJson({ profile: 'meeting', transcript, filename: 'same.txt' });
      const fromJson = lastCreate()?.data.request_hash;
      const form = new FormData();
      form.append('file', new Blob([transcript]), 'same.txt');
      form.append('profile', 'meeting');

      await postForm(form);

      expect(lastCreate()?.data.request_hash).toBe(fromJson);
      await postJson({ profile: 'meeting', transcript, filename: 'other.txt' });
      expect(lastCreate()?.data.request_hash).not.toBe(fromJson);
    });

    it('answers 413 for a transcript over the upload limit, as JSON or as a file, and stores no part of it', async () => {
      const big = 'x'.repeat(UPLOAD_LIMIT + 1_000);
      const form = new FormData();
      form.append('profile', 'meeting');
      form.append('file', new Blob([big]), 'big.txt');
      const creates = world.received.length;

      await expectError(await postJson({ profile: 'meeting', transcript: big }), 413, 'PAYLOAD_TOO_LARGE');
      await expectError(await postForm(form), 413, 'PAYLOAD_TOO_LARGE');

      expect(world.received.length).toBe(creates);
      expect(await readdir(join(blobRoot, '.incoming')).catch(() => [])).toEqual([]);
      const cut = Buffer.from(big).subarray(0, UPLOAD_LIMIT);
      await expect(readFile(blobPath(sha256(cut)))).rejects.toThrow(/ENOENT/);
    });

    it('forwards the Idempotency-Key and refuses a malformed one with 400', async () => {
      await postJson({ profile: 'meeting', transcript: 'Ana: keyed.' }, { 'idempotency-key': 'retry-me-1' });
      expect(lastCreate()?.data.idempotency_key).toBe('retry-me-1');

      await expectError(
        await postJson(
          { profile: 'meeting', transcript: 'Ana: keyed.' },
          { 'idempotency-key': 'k'.repeat(256) },
        ),
        400,
        ErrorCodes.validationFailed,
      );
      await expectError(
        await postJson({ profile: 'meeting', transcript: 'Ana: keyed.' }, { 'idempotency-key': 'é' }),
        400,
        ErrorCodes.validationFailed,
      );
    });

    it('refuses invalid fields with 400 before asking jobs', async () => {
      const creates = world.received.length;

      await expectError(await postJson({ profile: 'meeting' }), 400, ErrorCodes.validationFailed);
      await expectError(
        await postJson({ profile: 'meeting', transcript: 'x', format: 'docx' }),
        400,
        ErrorCodes.validationFailed,
      );
      await expectError(
        await postJson({ profile: 'meeting', transcript: 'x', admin: true }),
        400,
        ErrorCodes.validationFailed,
      );
      const withoutFile = new FormData();
      withoutFile.append('profile', 'meeting');
      await expectError(await postForm(withoutFile), 400, ErrorCodes.validationFailed);
      expect(world.received.length).toBe(creates);
    });

    it('refuses a malformed multipart body (no boundary, an overlong one, cut short) with 400 before asking jobs', async () => {
      const creates = world.received.length;
      const postRaw = (contentType: string, body: string) =>
        fetch(url('/api/v1/jobs'), {
          method: 'POST',
          headers: as('srt_owner', { 'content-type': contentType }),
          body,
        });
      const cutShort =
        '--XX\r\nContent-Disposition: form-data; name="profile"\r\n\r\nmeeting\r\n' +
        '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nAna: hi';

      await expectError(await postRaw('multipart/form-data', 'abc'), 400, ErrorCodes.validationFailed);
      await expectError(
        await postRaw(`multipart/form-data; boundary=${'b'.repeat(300)}`, 'abc'),
        400,
        ErrorCodes.validationFailed,
      );
      await expectError(
        await postRaw('multipart/form-data; boundary=XX', cutShort),
        400,
        ErrorCodes.validationFailed,
      );
      expect(world.received.length).toBe(creates);
    });

    it('refuses NUL characters (Postgres text cannot hold them) and absurd nesting with 400 before asking jobs', async () => {
      const creates = world.received.length;
      await expectError(
        await postJson({ profile: 'meeting', transcript: 'Ana: hi', filename: 'a\u0000b.txt' }),
        400,
        ErrorCodes.validationFailed,
      );
      await expectError(
        await postJson({ profile: 'meeting', transcript: 'Ana: hi', 'x\u0000': 1 }),
        400,
        ErrorCodes.validationFailed,
      );
      const nested = await fetch(url('/api/v1/jobs'), {
        method: 'POST',
        headers: as('srt_owner', { 'content-type': 'application/json' }),
        // 32,000 levels in under the upload limit: deep enough to overflow a recursive walk
        body: `{"profile":"meeting","transcript":"x","x":${'['.repeat(32_000)}${']'.repeat(32_000)}}`,
      });
      await expectError(nested, 400, ErrorCodes.validationFailed);
      const form = new FormData();
      form.append('profile', 'meeting');
      form.append('meeting_date', '2024-01-01\u0000');
      form.append('file', new Blob(['Ana: hi']), 'a.txt');
      await expectError(await postForm(form), 400, ErrorCodes.validationFailed);
      expect(world.received.length).toBe(creates);
    });

    it('refuses a second file with 400 naming the batch route (was 413 "reach files limit") before asking jobs', async () => {
      const creates = world.received.length;
      const form = new FormData();
      form.append('profile', 'meeting');
      form.append('file', new Blob(['Ana: one.']), 'one.txt');
      form.append('file', new Blob(['Ana: two.']), 'two.txt');

      const response = await postForm(form);

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          code: ErrorCodes.validationFailed,
          message: expect.stringContaining('/jobs/batch'),
          retryable: false,
        },
      });
      expect(world.received.length).toBe(creates);
    });

    it('refuses a multipart field sent twice (it was silently its last value) with 400 before asking jobs', async () => {
      const creates = world.received.length;
      const form = new FormData();
      form.append('profile', 'meeting');
      form.append('profile', 'talk');
      form.append('file', new Blob(['Ana: hi']), 'a.txt');

      await expectError(await postForm(form), 400, ErrorCodes.validationFailed);
      expect(world.received.length).toBe(creates);
    });

    it('refuses a token without jobs:write with 403', async () => {
      TOKENS.set('srt_reader', { ...OWNER, token_id: 't-3', scopes: ['jobs:read'] });

      const response = await fetch(url('/api/v1/jobs'), {
        method: 'POST',
        headers: as('srt_reader', { 'content-type': 'application/json' }),
        body: JSON.stringify({ profile: 'meeting', transcript: 'x' }),
      });

      await expectError(response, 403, ErrorCodes.forbidden);
    });
  });

  describe('reading and cancelling', () => {
    it('lists with the cursor, limit and status filter passed on', async () => {
      const running = ownJob('running');

      const response = await fetch(url('/api/v1/jobs?status=running&limit=5&cursor=abc'), {
        headers: as('srt_owner'),
      });

      expect(response.status).toBe(200);
      expect(lastOf(JobsRpc.list)?.data).toEqual({ cursor: 'abc', limit: 5, status: 'running' });
      const page = (await response.json()) as { items: JobView[]; next_cursor: string };
      expect(page.items.map((job) => job.id)).toContain(running.id);
      expect(page.items.every((job) => job.status === 'running')).toBe(true);
      expect(page.next_cursor).toBe('next-page');
      await expectError(
        await fetch(url('/api/v1/jobs?status=lost'), { headers: as('srt_owner') }),
        400,
        ErrorCodes.validationFailed,
      );
      const batchId = '6f1c1e8e-3c1a-4a57-9d55-0d5b8c0f2a11';
      const filtered = await fetch(
        url(
          `/api/v1/jobs?profile=talk&batch_id=${batchId}&created_from=2026-01-01T00:00:00Z&created_to=2026-02-01T00:00:00Z`,
        ),
        { headers: as('srt_owner') },
      );
      expect(filtered.status).toBe(200);
      expect(lastOf(JobsRpc.list)?.data).toEqual({
        limit: 50,
        profile: 'talk',
        batch_id: batchId,
        created_from: '2026-01-01T00:00:00Z',
        created_to: '2026-02-01T00:00:00Z',
      });
      for (const bad of ['profile=no%20such', 'batch_id=x', 'created_from=yesterday']) {
        await expectError(
          await fetch(url(`/api/v1/jobs?${bad}`), { headers: as('srt_owner') }),
          400,
          ErrorCodes.validationFailed,
        );
      }
    });

    it('answers a job and cancels it', async () => {
      const job = ownJob();

      const read = await fetch(url(`/api/v1/jobs/${job.id}`), { headers: as('srt_owner') });
      const cancelled = await fetch(url(`/api/v1/jobs/${job.id}/cancel`), {
        method: 'POST',
        headers: as('srt_owner'),
      });

      expect(read.status).toBe(200);
      expect(await read.json()).toEqual(job);
      expect(cancelled.status).toBe(200);
      expect(await cancelled.json()).toMatchObject({ id: job.id, status: 'cancelled' });
      expect(lastOf(JobsRpc.cancel)?.data).toEqual({ job_id: job.id });
    });

    it("answers 404 for another user's job on every job route", async () => {
      const job = ownJob();

      await expectError(
        await fetch(url(`/api/v1/jobs/${job.id}`), { headers: as('srt_other') }),
        404,
        'NOT_FOUND',
      );
      await expectError(
        await fetch(url(`/api/v1/jobs/${job.id}/cancel`), { method: 'POST', headers: as('srt_other') }),
        404,
        'NOT_FOUND',
      );
      await expectError(
        await fetch(url(`/api/v1/jobs/${job.id}/events`), { headers: as('srt_other') }),
        404,
        'NOT_FOUND',
      );
      expect(world.jobs.get(job.id)?.status).toBe('queued');
    });
  });

  describe('GET /jobs/{id}/events', () => {
    it('sends the current status, then the changes of that job only, and ends after a terminal one', async () => {
      const job = ownJob();
      const other = ownJob();
      const stream = await openEvents(job.id);

      expect(stream.status).toBe(200);
      expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
      expect((await stream.nextEvent()).data).toMatchObject({ job_id: job.id, status: 'queued', attempt: 1 });

      const change = (jobId: string, status: JobStatus): JobStatusChanged => ({
        job_id: jobId,
        user_id: OWNER.user_id,
        status,
        attempt: 1,
        at: new Date(Date.now() + 1_000).toISOString(),
      });
      await publishChange(change(other.id, 'running'), JobEvents.started);
      await publishChange(change(job.id, 'running'), JobEvents.started);
      const started = await stream.nextEvent();
      await publishChange(change(job.id, 'completed'), JobEvents.completed);
      const completed = await stream.nextEvent();

      expect(started).toMatchObject({ event: 'status', data: { job_id: job.id, status: 'running' } });
      expect(started.id).toMatch(/^\d+-\d+$/);
      expect(completed).toMatchObject({ event: 'status', data: { job_id: job.id, status: 'completed' } });
      await stream.ended;
      expect(stream.events.map((event) => event.data['status'])).toEqual(['queued', 'running', 'completed']);
    });

    it('ends right after the current status when the job is already finished', async () => {
      const job = ownJob('failed');

      const stream = await openEvents(job.id);
      await stream.ended;

      expect(stream.events.map((event) => event.data['status'])).toEqual(['failed']);
    });

    it('sends heartbeat comments while nothing happens', async () => {
      const stream = await openEvents(ownJob('running').id);

      await stream.waitFor('a heartbeat', () => stream.raw.includes(': heartbeat\n\n'));

      expect(stream.raw).toContain(': heartbeat\n\n');
      stream.close();
    });
  });
});

interface ServerSentEvent {
  readonly event: string | undefined;
  readonly id: string | undefined;
  readonly data: Record<string, unknown>;
}

/** A Server-Sent Events response read as it arrives. */
class EventStreamReader {
  raw = '';
  readonly events: ServerSentEvent[] = [];
  private consumed = 0;
  private done = false;

  private constructor(
    private readonly response: IncomingMessage,
    readonly ended: Promise<void>,
  ) {}

  static open(target: string, headers: Record<string, string>): Promise<EventStreamReader> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(target, { headers }, (response) => {
        response.setEncoding('utf8');
        const ended = new Promise<void>((settle) => response.on('close', () => settle()));
        const reader = new EventStreamReader(response, ended);
        void ended.then(() => (reader.done = true));
        response.on('data', (chunk: string) => reader.receive(chunk));
        response.on('error', () => undefined);
        resolve(reader);
      });
      request.on('error', reject);
      request.end();
    });
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  get contentType(): string | undefined {
    return this.response.headers['content-type'];
  }

  async nextEvent(): Promise<ServerSentEvent> {
    await this.waitFor('the next event', () => this.events.length > this.consumed || this.done);
    const event = this.events[this.consumed];
    if (!event) throw new Error('the stream ended without another event');
    this.consumed += 1;
    return event;
  }

  async waitFor(what: string, condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.response.destroy();
  }

  private receive(chunk: string): void {
    this.raw += chunk;
    const blocks = this.raw.split('\n\n').slice(0, -1);
    const parsed = blocks.filter((block) => !block.startsWith(':')).map(parseEvent);
    this.events.splice(0, this.events.length, ...parsed);
  }
}

function parseEvent(block: string): ServerSentEvent {
  const field = (name: string) =>
    block
      .split('\n')
      .find((line) => line.startsWith(`${name}: `))
      ?.slice(name.length + 2);
  return {
    event: field('event'),
    id: field('id'),
    data: JSON.parse(field('data') ?? '{}') as Record<string, unknown>,
  };
}
