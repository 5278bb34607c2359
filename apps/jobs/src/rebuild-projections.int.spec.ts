import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  BatchesRpc,
  IdentityEvents,
  JobsRpc,
  LifecycleRpc,
  PromptsRpc,
  serviceActor,
  WebhooksRpc,
  type Actor,
  type ArtifactExpiredEvent,
  type CreateBatchResponse,
  type CreatedWebhook,
  type CreateJobResponse,
  type CreatePromptResponse,
  type MessageEnvelope,
  type Page,
  type UserPurgedEvent,
  type WebhookDeliveryView,
} from '@scriptripper/contracts';
import { EventStore } from '@scriptripper/event-store';
import { parseKeyEncryptionKey } from '@scriptripper/privacy';
import { rebuildReadModels } from '@scriptripper/service-runtime';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { userDataStreamId } from './erasure/erasure.projection';
import { JobsUserPurgeHandler } from './erasure/user-purge.handler';
import { jobsReadModels } from './projections';
import { TranscriptExpiryHandler } from './retention/transcript-expiry.handler';
import {
  profilesAnswering,
  startJobsTestApp,
  startProfilesProcess,
  type JobsTestApp,
} from './test-support/jobs-test-app';
import { WebhookDispatcher } from './webhook/webhook.dispatcher';

const workspaceRoot = resolve(__dirname, '../../..');
const scopes = ['jobs:read', 'jobs:write'];
const user = (): Actor => ({ id: randomUUID(), role: 'user', scopes });
const worker: Actor = { id: 'service:worker', role: 'service', scopes: [] };
const metrics = { duration_ms: 1_000, words: 10, segments: 2, speakers: 1, tokens: 0 };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const blob = (text: string) => ({ uri: `blob://sha256/${sha(text)}`, sha256: sha(text), size: text.length });
const TABLES = jobsReadModels(randomBytes(32)).tables;

/**
 * The jobs read models rebuilt from the jobs event table, over a database the jobs service filled
 * through its own paths (RPCs, its inbox handlers, its webhook dispatcher), with the real profiles
 * service: a replay gives the same rows, a hand edit is drift that the built command reports and
 * repairs, and a purged user's rows stay gone because the purge is in jobs' own events.
 */
describe('rebuilding the jobs read models from the event table', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('jobs-rebuild');
  const keyEncryptionKey = randomBytes(32).toString('base64');
  let database: TestDatabase;
  let jobs: JobsTestApp;
  let profiles: { stop(): Promise<void> };
  let receiver: Server;
  let receiverUrl: string;
  /** The receiver's replies, in order; 200 once they run out. */
  const replies = [500];

  const em = () => jobs.app.get(EntityManager).fork();
  const rows = (table: string) => em().execute(`select * from jobs.${table} order by 1, 2`);
  const snapshot = async () =>
    Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await rows(table)] as const)));
  const rowsOf = async (userId: string) => {
    const counts: Record<string, number> = {};
    for (const table of [
      'jobs',
      'batches',
      'custom_prompts',
      'quota_usage',
      'webhooks',
      'webhook_deliveries',
    ]) {
      const [row] = await em().execute<{ n: string }[]>(
        `select count(*) as n from jobs.${table} where user_id = ?`,
        [userId],
      );
      counts[table] = Number(row?.n);
    }
    return counts;
  };
  const eventually = async <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await check();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  };
  const createJob = async (actor: Actor) =>
    (
      await jobs.call<CreateJobResponse>(
        JobsRpc.create,
        { profile: 'meeting', input: blob(`WEBVTT ${randomUUID()}`), request_hash: sha(randomUUID()) },
        actor,
      )
    ).job_id;
  const completedJob = async (actor: Actor, cost: number) => {
    const jobId = await createJob(actor);
    await jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker);
    await jobs.call(
      JobsRpc.markCompleted,
      { job_id: jobId, attempt: 1, metrics, cost, artifact_ids: ['a-1'] },
      worker,
    );
    return jobId;
  };
  const answeredPrompt = async (actor: Actor, jobId: string, cost: number) => {
    const { prompt_id } = await jobs.call<CreatePromptResponse>(
      PromptsRpc.create,
      {
        job_id: jobId,
        prompt: 'Who decided what?',
        idempotency_key: randomUUID(),
        request_hash: sha(randomUUID()),
      },
      actor,
    );
    await jobs.call(
      PromptsRpc.answered,
      {
        prompt_id,
        result_artifact_id: randomUUID(),
        json_artifact_id: randomUUID(),
        provider: 'offline',
        tokens: 10,
        cost,
      },
      worker,
    );
    return prompt_id;
  };
  const registerWebhook = (actor: Actor) =>
    jobs.call<CreatedWebhook>(WebhooksRpc.create, { url: receiverUrl, events: ['job.completed'] }, actor);
  /** Waits for the delivery of the job's JobCompleted (through events:jobs and the inbox). */
  const deliveryOf = (actor: Actor, webhookId: string, jobId: string) =>
    eventually('the delivery', async () => {
      const page = await jobs.call<Page<WebhookDeliveryView>>(
        WebhooksRpc.listDeliveries,
        { webhook_id: webhookId },
        actor,
      );
      return page.items.find((delivery) => delivery.job_id === jobId);
    });
  const batchOf = (actor: Actor) =>
    jobs.call<CreateBatchResponse>(
      BatchesRpc.create,
      {
        profile: 'meeting',
        items: [{ input: blob(`WEBVTT ${randomUUID()}`) }, { input: blob(`WEBVTT ${randomUUID()}`) }],
        request_hash: sha(randomUUID()),
      },
      actor,
    );
  const envelope = <T>(type: string, data: T, actor: Actor): MessageEnvelope<T> => ({
    id: randomUUID(),
    type,
    correlationId: randomUUID(),
    causationId: null,
    actor,
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
    traceparent: null,
    data,
  });
  /** The service's own built rebuild command, as an operator runs it. */
  const rebuildCommand = (
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const entry = resolve(
      workspaceRoot,
      process.env['TEST_BUILD_DIR'] ?? 'dist',
      'apps/jobs/src/rebuild-projections.js',
    );
    if (!existsSync(entry)) throw new Error(`${entry} does not exist: run \`npm run build\` first.`);
    return new Promise((resolveRun, reject) => {
      const child = spawn(process.execPath, [entry, ...args], {
        env: {
          PATH: process.env['PATH'],
          DATABASE_URL: database.url,
          JOBS_KEY_ENCRYPTION_KEY: keyEncryptionKey,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
    });
  };

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(replies.shift() ?? 200).end('ok'));
    });
    await new Promise<void>((resolveListen) => receiver.listen(0, '127.0.0.1', resolveListen));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    database = await createTestDatabase('jobs_rebuild');
    const connection = { databaseUrl: database.url, redisUrl, keyPrefix };
    profiles = await startProfilesProcess(connection);
    jobs = await startJobsTestApp({
      ...connection,
      settings: {
        JOBS_KEY_ENCRYPTION_KEY: keyEncryptionKey,
        JOB_SCHEDULER_INTERVAL_MS: '3600000',
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        WEBHOOK_SCHEDULER_INTERVAL_MS: '3600000',
        WEBHOOK_TIMEOUT_MS: '5000',
      },
    });
    const probe = user();
    await profilesAnswering(jobs, probe);
  }, 120_000);

  afterAll(async () => {
    await jobs?.close();
    await profiles?.stop();
    await new Promise<void>((resolveClose) =>
      receiver ? receiver.close(() => resolveClose()) : resolveClose(),
    );
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
  });

  it('replays to the same rows, reports and repairs a hand edit, and keeps a purged user erased', async () => {
    const ana = user();
    const bob = user();

    // Ana: a completed job with a paid prompt and a webhook delivery tried once (500, retrying),
    // a failed job, a batch, an expired transcript, and a deleted job that had a prompt and a delivery.
    const webhook = await registerWebhook(ana);
    const kept = await completedJob(ana, 0.25);
    await answeredPrompt(ana, kept, 0.1);
    await deliveryOf(ana, webhook.id, kept);
    expect(await jobs.app.get(WebhookDispatcher).runOnce(new Date(Date.now() + 3_600_000))).toBe(1);
    const failed = await createJob(ana);
    await jobs.call(
      JobsRpc.markFailed,
      { job_id: failed, attempt: 1, error: { code: 'X', message: 'no', retryable: false } },
      worker,
    );
    await batchOf(ana);
    await jobs.app.get(TranscriptExpiryHandler).handle(
      envelope(
        'ArtifactExpired',
        {
          artifact_id: randomUUID(),
          job_id: kept,
          user_id: ana.id,
          kind: 'transcript',
          retention: 'transcript',
          at: '2026-02-01T00:00:00.000Z',
        } as ArtifactExpiredEvent,
        serviceActor('artifacts'),
      ),
    );
    const deleted = await completedJob(ana, 0.5);
    await answeredPrompt(ana, deleted, 0.2);
    await deliveryOf(ana, webhook.id, deleted);
    await jobs.call(LifecycleRpc.deleteJob, { job_id: deleted }, ana);

    // Bob: the same kinds of rows, then purged (the handler the UserPurged consumer calls).
    const bobsHook = await registerWebhook(bob);
    const bobsJob = await completedJob(bob, 0.3);
    await answeredPrompt(bob, bobsJob, 0.1);
    await deliveryOf(bob, bobsHook.id, bobsJob);
    await batchOf(bob);
    expect(Object.values(await rowsOf(bob.id)).every((count) => count > 0)).toBe(true);
    await jobs.app
      .get(JobsUserPurgeHandler)
      .handle(
        envelope<UserPurgedEvent>(IdentityEvents.userPurged, { user_id: bob.id }, serviceActor('auth')),
      );

    const erased = await jobs.app.get(EventStore).readStream(userDataStreamId(bob.id));
    expect(erased.map((event) => [event.type, event.data])).toEqual([
      ['UserDataErased', { user_id: bob.id, at: expect.any(String) }],
    ]);
    const bobGone = {
      jobs: 0,
      batches: 0,
      custom_prompts: 0,
      quota_usage: 0,
      webhooks: 0,
      webhook_deliveries: 0,
    };
    expect(await rowsOf(bob.id)).toEqual(bobGone);
    const live = await snapshot();
    for (const table of TABLES) expect({ table, rows: live[table]?.length }).not.toEqual({ table, rows: 0 });
    // The deleted job's prompt and delivery went with it; the transcript expiry is on the row.
    expect(await em().execute('select id from jobs.custom_prompts where job_id = ?', [deleted])).toEqual([]);
    expect(await em().execute('select id from jobs.webhook_deliveries where job_id = ?', [deleted])).toEqual(
      [],
    );
    expect(live['jobs']?.find((row) => row['id'] === kept)).toMatchObject({
      transcript_expired_at: expect.stringMatching(/^2026-02-01 00:00:00/),
    });
    expect(live['webhook_delivery_attempts']).toHaveLength(1);

    // A dry run over the live tables finds nothing to change.
    const check = await rebuildReadModels(
      jobs.app.get(EntityManager),
      jobsReadModels(parseKeyEncryptionKey(keyEncryptionKey)),
      { dryRun: true },
    );
    expect(check.tables.map((table) => [table.table, table.rowsChanged])).toEqual(
      TABLES.map((table) => [table, 0]),
    );

    // A row edited by hand is drift: the built command's dry run says so (exit 3) and changes nothing.
    await em().execute(`update jobs.jobs set status = 'queued', cost = 99 where id = ?`, [kept]);
    await em().execute(`delete from jobs.custom_prompts where job_id = ?`, [kept]);
    const drift = await rebuildCommand(['--dry-run']);
    expect({ code: drift.code, stderr: drift.stderr }).toEqual({ code: 3, stderr: '' });
    // The edited job counts twice (the wrong row out, the right one in), the lost prompt once.
    expect(drift.stdout).toMatch(/ {2}jobs: (\d+) row\(s\) before, \1 after, 2 differing/);
    expect(drift.stdout).toMatch(/ {2}custom_prompts: \d+ row\(s\) before, \d+ after, 1 differing/);
    expect((await rows('jobs')).find((row) => row['id'] === kept)).toMatchObject({ status: 'queued' });

    // The rebuild repairs it: every table is as the service wrote it, and Bob stays erased.
    const rebuilt = await rebuildCommand(['--json']);
    expect({ code: rebuilt.code, stderr: rebuilt.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ service: 'jobs', dryRun: false });
    expect(await snapshot()).toEqual(live);
    expect(await rowsOf(bob.id)).toEqual(bobGone);
    const after = await rebuildCommand(['--dry-run']);
    expect(after.code).toBe(0);
  }, 120_000);
});
