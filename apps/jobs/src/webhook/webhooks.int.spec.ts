import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  JobsRpc,
  verifyWebhookSignature,
  WebhookHeaders,
  WebhooksRpc,
  type Actor,
  type CreatedWebhook,
  type CreateJobResponse,
  type Page,
  type WebhookDeliveryView,
  type WebhookPayload,
  type WebhookView,
} from '@scriptripper/contracts';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import {
  profilesAnswering,
  startJobsTestApp,
  startProfilesProcess,
  type JobsTestApp,
} from '../test-support/jobs-test-app';
import { EventStore } from '@scriptripper/event-store';
import { WebhookDispatcher } from './webhook.dispatcher';
import { webhookStreamId } from './webhook.events';

const scopes = ['jobs:read', 'jobs:write'];
const user = (): Actor => ({ id: randomUUID(), role: 'user', scopes });
const worker: Actor = { id: 'service:worker', role: 'service', scopes: [] };
const metrics = { duration_ms: 1_000, words: 10, segments: 2, speakers: 1, tokens: 0 };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const blob = (text: string) => ({ uri: `blob://sha256/${sha(text)}`, sha256: sha(text), size: text.length });
const RETRY_BASE_MS = 1_000;

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A local receiver that answers each request with the next of its scripted replies
 * (a status code, or 'drop' to cut the connection), recording what it got.
 */
async function startReceiver(replies: readonly (number | 'drop')[]) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = replies[received.length - 1] ?? 200;
      if (reply === 'drop') {
        request.socket.destroy();
        return;
      }
      response.writeHead(reply).end('ok');
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/scriptripper`,
    received,
    close: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())),
  };
}

/**
 * Webhooks in the jobs service, with the real profiles service and a local receiver: a job's
 * JobCompleted (through events:jobs and the inbox) becomes a delivery; the receiver fails
 * twice and then succeeds; each try is signed, logged with its status, and retried after
 * the backoff; the receiver verifies every signature with the exported function.
 */
describe('webhooks in the jobs service', () => {
  let database: TestDatabase;
  let jobs: JobsTestApp;
  let profiles: { stop(): Promise<void> };
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('jobs_webhooks');

  const register = (actor: Actor, url: string, events: string[] = ['job.completed', 'job.failed']) =>
    jobs.call<CreatedWebhook>(WebhooksRpc.create, { url, events }, actor);
  const deliveriesOf = (actor: Actor, webhookId: string) =>
    jobs.call<Page<WebhookDeliveryView>>(WebhooksRpc.listDeliveries, { webhook_id: webhookId }, actor);
  const codeOf = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return (error as { code?: string }).code;
    }
    throw new Error('the call was not refused');
  };
  const completedJob = async (actor: Actor) => {
    const { job_id: jobId } = await jobs.call<CreateJobResponse>(
      JobsRpc.create,
      { profile: 'meeting', input: blob('WEBVTT'), request_hash: sha(randomUUID()) },
      actor,
    );
    await jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker);
    await jobs.call(
      JobsRpc.markCompleted,
      { job_id: jobId, attempt: 1, metrics, cost: 0, artifact_ids: ['a-1'] },
      worker,
    );
    return jobId;
  };
  /** Polls until `check` answers a value (the outbox relay and the consumer run on their own). */
  const eventually = async <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await check();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  };
  /** A dispatcher pass at a time far enough ahead that every scheduled retry is due. */
  const pass = () => jobs.app.get(WebhookDispatcher).runOnce(new Date(Date.now() + 3_600_000));

  beforeAll(async () => {
    database = await createTestDatabase('jobs_webhooks');
    const connection = { databaseUrl: database.url, redisUrl, keyPrefix };
    profiles = await startProfilesProcess(connection);
    jobs = await startJobsTestApp({
      ...connection,
      settings: {
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
        WEBHOOK_TIMEOUT_MS: '5000',
        WEBHOOK_MAX_ATTEMPTS: '3',
        // Passes run when a test asks: no waiting on the clock.
        WEBHOOK_SCHEDULER_INTERVAL_MS: '3600000',
      },
    });
    const probe = user();
    await profilesAnswering(jobs, probe);
  }, 120_000);

  afterAll(async () => {
    await jobs?.close();
    await profiles?.stop();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
  });

  it('registers a webhook, shows its secret once, and lists it to its owner only', async () => {
    const owner = user();
    const created = await register(owner, 'http://127.0.0.1:9/hook', ['job.failed']);
    expect(created).toMatchObject({ url: 'http://127.0.0.1:9/hook', events: ['job.failed'] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await jobs.call<Page<WebhookView>>(WebhooksRpc.list, {}, owner);
    expect(listed.items).toEqual([
      { id: created.id, url: created.url, events: ['job.failed'], created_at: created.created_at },
    ]);
    // The event log keeps the URL and the secret sealed with the owner's key, never in the clear.
    const logged = JSON.stringify(await jobs.app.get(EventStore).readStream(webhookStreamId(created.id)));
    expect(logged).toContain('WebhookRegistered');
    expect(logged).not.toContain(created.secret);
    expect(logged).not.toContain('127.0.0.1:9');
    const other = user();
    expect((await jobs.call<Page<WebhookView>>(WebhooksRpc.list, {}, other)).items).toEqual([]);
    expect(await codeOf(deliveriesOf(other, created.id))).toBe('NOT_FOUND');
    expect(await codeOf(jobs.call(WebhooksRpc.delete, { webhook_id: created.id }, other))).toBe('NOT_FOUND');
  });

  it.each([
    ['ftp://127.0.0.1/hook', ['job.completed']],
    ['http://user:secret@127.0.0.1/hook', ['job.completed']],
    ['not a url', ['job.completed']],
    ['http://127.0.0.1/hook', []],
    ['http://127.0.0.1/hook', ['job.started']],
  ])('refuses %s with events %j, and registers nothing', async (url, events) => {
    const owner = user();
    expect(await codeOf(register(owner, url, events))).toBe('VALIDATION_FAILED');
    expect((await jobs.call<Page<WebhookView>>(WebhooksRpc.list, {}, owner)).items).toEqual([]);
  });

  it('needs jobs:write to register', async () => {
    const reader: Actor = { id: randomUUID(), role: 'user', scopes: ['jobs:read'] };
    expect(await codeOf(register(reader, 'http://127.0.0.1/hook'))).toBe('FORBIDDEN');
  });

  it('delivers a signed job.completed that fails twice, then succeeds, logging every attempt', async () => {
    const receiver = await startReceiver([500, 'drop', 200]);
    try {
      const owner = user();
      const webhook = await register(owner, receiver.url, ['job.completed']);
      const onlyFailures = await register(owner, receiver.url, ['job.failed']);
      const jobId = await completedJob(owner);

      const scheduled = await eventually('the delivery', async () => {
        const page = await deliveriesOf(owner, webhook.id);
        return page.items[0];
      });
      expect(scheduled).toMatchObject({ job_id: jobId, event_type: 'job.completed', status: 'pending' });
      expect(scheduled.attempts).toEqual([]);

      expect(await pass()).toBe(1);
      expect(await pass()).toBe(1);
      expect(await pass()).toBe(1);
      expect(await pass()).toBe(0);

      const [delivery] = (await deliveriesOf(owner, webhook.id)).items;
      expect(delivery).toMatchObject({ id: scheduled.id, status: 'succeeded', next_attempt_at: null });
      const attempts = delivery?.attempts ?? [];
      expect(attempts.map((attempt) => [attempt.attempt, attempt.status_code])).toEqual([
        [1, 500],
        [2, null],
        [3, 200],
      ]);
      expect(attempts[0]?.error).toBe('the receiver answered 500');
      expect(attempts[1]?.error).toEqual(expect.any(String));
      expect(attempts[2]?.error).toBeNull();
      // Exponential backoff: 1 s after the first failure, 2 s after the second.
      const waited = attempts
        .slice(0, 2)
        .map((attempt) => Date.parse(attempt.next_attempt_at ?? '') - Date.parse(attempt.attempted_at));
      expect(waited).toEqual([RETRY_BASE_MS, 2 * RETRY_BASE_MS]);
      for (const attempt of attempts) expect(attempt.duration_ms).toBeGreaterThanOrEqual(0);

      // Three identical bodies, one delivery id, each signed afresh and verified as a receiver would.
      expect(receiver.received).toHaveLength(3);
      for (const { headers, body } of receiver.received) {
        expect(headers[WebhookHeaders.deliveryId]).toBe(scheduled.id);
        expect(headers['content-type']).toBe('application/json');
        const signature = headers[WebhookHeaders.signature] as string;
        expect(verifyWebhookSignature({ secret: webhook.secret, header: signature, body })).toBe(true);
        expect(verifyWebhookSignature({ secret: onlyFailures.secret, header: signature, body })).toBe(false);
        const payload = JSON.parse(body) as WebhookPayload;
        expect(payload).toMatchObject({
          id: scheduled.event_id,
          type: 'job.completed',
          data: { job_id: jobId, status: 'completed', attempt: 1, cost: 0, artifact_ids: ['a-1'] },
        });
      }
      // The webhook that wants only job.failed got nothing for a completed job.
      expect((await deliveriesOf(owner, onlyFailures.id)).items).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it("delivers job.failed with the job's error to a webhook that asked for it", async () => {
    const receiver = await startReceiver([204]);
    try {
      const owner = user();
      const webhook = await register(owner, receiver.url, ['job.failed']);
      const { job_id: jobId } = await jobs.call<CreateJobResponse>(
        JobsRpc.create,
        { profile: 'meeting', input: blob('not a transcript'), request_hash: sha(randomUUID()) },
        owner,
      );
      await jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker);
      const error = { code: 'UNPARSEABLE_TRANSCRIPT', message: 'no cues found', retryable: false };
      await jobs.call(JobsRpc.markFailed, { job_id: jobId, attempt: 1, error }, worker);
      await eventually('the delivery', async () => (await deliveriesOf(owner, webhook.id)).items[0]);
      expect(await pass()).toBe(1);
      const [delivery] = (await deliveriesOf(owner, webhook.id)).items;
      expect(delivery).toMatchObject({ job_id: jobId, event_type: 'job.failed', status: 'succeeded' });
      expect(receiver.received).toHaveLength(1);
      const [{ headers, body }] = receiver.received as [Received];
      expect(headers[WebhookHeaders.event]).toBe('job.failed');
      expect(JSON.parse(body)).toMatchObject({
        type: 'job.failed',
        data: { job_id: jobId, status: 'failed', error },
      });
    } finally {
      await receiver.close();
    }
  });

  it('gives a delivery up after the last attempt, and at once on a 4xx', async () => {
    const failing = await startReceiver([503, 503, 503]);
    const gone = await startReceiver([410]);
    try {
      const owner = user();
      const flaky = await register(owner, failing.url, ['job.completed']);
      const refusing = await register(owner, gone.url, ['job.completed']);
      await completedJob(owner);
      await eventually('both deliveries', async () => {
        const pages = await Promise.all([deliveriesOf(owner, flaky.id), deliveriesOf(owner, refusing.id)]);
        return pages.every((page) => page.items.length === 1) ? true : undefined;
      });
      for (let n = 0; n < 4; n++) await pass();
      const [given] = (await deliveriesOf(owner, flaky.id)).items;
      expect(given).toMatchObject({ status: 'failed', next_attempt_at: null });
      expect(given?.attempts.map((attempt) => attempt.status_code)).toEqual([503, 503, 503]);
      const [refused] = (await deliveriesOf(owner, refusing.id)).items;
      expect(refused).toMatchObject({ status: 'failed' });
      expect(refused?.attempts.map((attempt) => attempt.status_code)).toEqual([410]);
      expect(gone.received).toHaveLength(1);
    } finally {
      await failing.close();
      await gone.close();
    }
  });

  it('tries a due delivery once when passes run at the same time, as on two instances', async () => {
    const receiver = await startReceiver([200]);
    try {
      const owner = user();
      const webhook = await register(owner, receiver.url, ['job.completed']);
      await completedJob(owner);
      await eventually('the delivery', async () => (await deliveriesOf(owner, webhook.id)).items[0]);
      const tried = await Promise.all([pass(), pass(), pass()]);
      expect(tried.reduce((sum, count) => sum + count, 0)).toBe(1);
      expect(receiver.received).toHaveLength(1);
      const [delivery] = (await deliveriesOf(owner, webhook.id)).items;
      expect(delivery?.attempts).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('deletes a webhook: it is gone from the list and its deliveries answer NOT_FOUND', async () => {
    const owner = user();
    const webhook = await register(owner, 'http://127.0.0.1:9/hook');
    await jobs.call(WebhooksRpc.delete, { webhook_id: webhook.id }, owner);
    expect((await jobs.call<Page<WebhookView>>(WebhooksRpc.list, {}, owner)).items).toEqual([]);
    expect(await codeOf(deliveriesOf(owner, webhook.id))).toBe('NOT_FOUND');
    expect(await codeOf(jobs.call(WebhooksRpc.delete, { webhook_id: webhook.id }, owner))).toBe('NOT_FOUND');
  });
});
