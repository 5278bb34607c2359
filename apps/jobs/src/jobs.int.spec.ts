import { createHash, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import {
  ANALYZE_TRANSCRIPT,
  JobsRpc,
  auditRpc,
  meetingProfile,
  type Actor,
  type AnalyzeTranscriptWork,
  type AuditEntry,
  type CreateJobResponse,
  type JobView,
  type MessageEnvelope,
  type Page,
} from '@scriptripper/contracts';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { EventStore } from '@scriptripper/event-store';
import { jobStreamId } from './job/job.events';
import { JobScheduler } from './job/job.scheduler';
import {
  profilesAnswering,
  startJobsTestApp,
  startProfilesProcess,
  type JobsTestApp,
} from './test-support/jobs-test-app';

const scopes = ['jobs:read', 'jobs:write'];
const ana: Actor = { id: randomUUID(), role: 'user', scopes };
const ben: Actor = { id: randomUUID(), role: 'user', scopes };
const worker: Actor = { id: 'service:worker', role: 'service', scopes: [] };
const STALL_SECONDS = 60;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const blob = (text: string) => ({ uri: `blob://sha256/${sha(text)}`, sha256: sha(text), size: text.length });
const metrics = { duration_ms: 90_000, words: 240, segments: 12, speakers: 3, tokens: 0 };

describe('the jobs service over rpc:jobs, with the real profiles service', () => {
  let database: TestDatabase;
  let jobs: JobsTestApp;
  let profiles: { stop(): Promise<void> };
  let redis: Redis;
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('jobs');

  const create = (actor: Actor, extra: Record<string, unknown> = {}) =>
    jobs.call<CreateJobResponse>(
      JobsRpc.create,
      { profile: 'meeting', input: blob('WEBVTT'), request_hash: sha('request'), ...extra },
      actor,
    );
  const get = (jobId: string, actor: Actor = ana) =>
    jobs.call<JobView>(JobsRpc.get, { job_id: jobId }, actor);
  const refusal = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return (error as { code?: string }).code;
    }
    throw new Error('the call was not refused');
  };
  const workFor = async (jobId: string, attempt: number) => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const entries = await redis.xrange(`${keyPrefix}work:analysis`, '-', '+');
      const found = entries
        .map(([, fields]) => JSON.parse(fields[1] ?? '{}') as MessageEnvelope<AnalyzeTranscriptWork>)
        .find((envelope) => envelope.data.job_id === jobId && envelope.data.attempt === attempt);
      if (found) return found;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    throw new Error(`no work message for job ${jobId} attempt ${attempt}`);
  };
  const scheduler = () => jobs.app.get(JobScheduler);
  /**
   * What the scheduler appended to a job, and the work message it sent, carry the correlation id
   * of the request that created the job (so the audit finds them by it), caused by the job's
   * event before them.
   */
  const expectSchedulerKeptCorrelation = async (jobId: string, work: MessageEnvelope) => {
    const history = await jobs.app.get(EventStore).readStream(jobStreamId(jobId));
    const original = history[0]?.metadata.correlationId;
    const bySchedulerAt = history.flatMap((event, index) =>
      event.metadata.actor.id === 'service:jobs' ? [index] : [],
    );
    const previous = history[(bySchedulerAt[0] ?? 0) - 1]?.metadata.messageId;
    expect(bySchedulerAt.length).toBeGreaterThan(0);
    expect(previous).toBeDefined();
    for (const index of bySchedulerAt)
      expect(history[index]?.metadata).toMatchObject({ correlationId: original, causationId: previous });
    expect(work).toMatchObject({ correlationId: original, causationId: previous });
    const audited = await jobs.call<Page<AuditEntry>>(
      auditRpc('jobs').list,
      { correlation_id: original, limit: 100 },
      worker,
    );
    expect(
      audited.items.filter((entry) => entry.stream_id === jobStreamId(jobId)).map((entry) => entry.type),
    ).toEqual(expect.arrayContaining(bySchedulerAt.map((index) => history[index]?.type)));
  };
  const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

  beforeAll(async () => {
    database = await createTestDatabase('jobs');
    redis = new Redis(redisUrl);
    const connection = { databaseUrl: database.url, redisUrl, keyPrefix };
    profiles = await startProfilesProcess(connection);
    jobs = await startJobsTestApp({
      ...connection,
      settings: {
        JOB_STALL_SECONDS: String(STALL_SECONDS),
        JOB_RETRY_BACKOFF_MS: '1000',
        // Passes run when a test asks, at the time it names: no waiting on the clock.
        JOB_SCHEDULER_INTERVAL_MS: '3600000',
      },
    });
    await profilesAnswering(jobs, ana);
  }, 120_000);

  afterAll(async () => {
    await jobs?.close();
    await profiles?.stop();
    redis?.disconnect();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
  });

  it('migrates to exactly the schema the entities describe', () => {
    expect(jobs.driftAfterMigrations).toBe('');
  });

  it('creates a queued job pinned to the default profile version, and sends its work to work:analysis', async () => {
    const { job_id: jobId, replayed } = await create(ana, { format: 'webvtt', meeting_date: '2026-03-02' });
    expect(replayed).toBe(false);
    expect(await get(jobId)).toMatchObject({
      id: jobId,
      user_id: ana.id,
      profile_key: 'meeting',
      // The built-in's newest version is the default of a fresh database.
      profile_version: meetingProfile.versions.length,
      status: 'queued',
      attempts: 1,
      input_uri: blob('WEBVTT').uri,
      cost: 0,
      completed_at: null,
    });
    const work = await workFor(jobId, 1);
    expect(work.type).toBe(ANALYZE_TRANSCRIPT);
    expect(work.actor.id).toBe(ana.id);
    expect(work.data).toEqual({
      job_id: jobId,
      user_id: ana.id,
      attempt: 1,
      input: blob('WEBVTT'),
      format: 'webvtt',
      filename: null,
      meeting_date: '2026-03-02',
      profile: { key: 'meeting', version: meetingProfile.versions.length },
    });
  });

  it('refuses a meeting date that does not exist (the worker refused it on every delivery), creating nothing', async () => {
    const before = await jobs.call<Page<JobView>>(JobsRpc.list, { limit: 100 }, ana);
    for (const meeting_date of ['2024-13-45', '2023-02-29', '2024-04-31', '0000-00-00']) {
      expect(await refusal(create(ana, { meeting_date }))).toBe('VALIDATION_FAILED');
    }
    expect((await jobs.call<Page<JobView>>(JobsRpc.list, { limit: 100 }, ana)).items).toEqual(before.items);
  });

  it("refuses a profile that does not exist with profiles' NOT_FOUND", async () => {
    expect(await refusal(create(ana, { profile: 'no-such-profile' }))).toBe('NOT_FOUND');
  });

  describe('Idempotency-Key', () => {
    it('answers the same job for the same key and request', async () => {
      const first = await create(ana, { idempotency_key: 'key-1' });
      const again = await create(ana, { idempotency_key: 'key-1' });
      expect(again).toEqual({ job_id: first.job_id, replayed: true });
    });

    it('refuses the same key with a different request', async () => {
      await create(ana, { idempotency_key: 'key-2' });
      expect(await refusal(create(ana, { idempotency_key: 'key-2', request_hash: sha('other') }))).toBe(
        'CONFLICT',
      );
    });

    it('keeps keys per user', async () => {
      const anas = await create(ana, { idempotency_key: 'key-3' });
      const bens = await create(ben, { idempotency_key: 'key-3', request_hash: sha('other') });
      expect(bens.job_id).not.toBe(anas.job_id);
    });

    it('creates one job when requests with one key race', async () => {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => create(ana, { idempotency_key: 'key-race' })),
      );
      expect(new Set(answers.map((answer) => answer.job_id)).size).toBe(1);
      expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
    });
  });

  describe('owners', () => {
    it("answers NOT_FOUND for another user's job, on get and cancel", async () => {
      const { job_id: jobId } = await create(ana);
      expect(await refusal(get(jobId, ben))).toBe('NOT_FOUND');
      expect(await refusal(jobs.call(JobsRpc.cancel, { job_id: jobId }, ben))).toBe('NOT_FOUND');
      expect(await refusal(get(randomUUID(), ana))).toBe('NOT_FOUND');
    });

    it('lists only the reader’s own jobs, newest first, by cursor and status', async () => {
      const reader: Actor = { id: randomUUID(), role: 'user', scopes };
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await create(reader)).job_id);
      await jobs.call(JobsRpc.cancel, { job_id: ids[0] }, reader);
      const first = await jobs.call<Page<JobView>>(JobsRpc.list, { limit: 2 }, reader);
      const second = await jobs.call<Page<JobView>>(
        JobsRpc.list,
        { limit: 2, cursor: first.next_cursor },
        reader,
      );
      expect([...first.items, ...second.items].map((job) => job.id)).toEqual([...ids].reverse());
      expect(second.next_cursor).toBeNull();
      const cancelled = await jobs.call<Page<JobView>>(JobsRpc.list, { status: 'cancelled' }, reader);
      expect(cancelled.items.map((job) => job.id)).toEqual([ids[0]]);
    });

    it('filters the list by profile and creation time, and refuses malformed filters', async () => {
      const reader: Actor = { id: randomUUID(), role: 'user', scopes };
      const meeting = (await create(reader)).job_id;
      const talk = (await create(reader, { profile: 'talk' })).job_id;
      const ids = async (filters: Record<string, unknown>) =>
        (await jobs.call<Page<JobView>>(JobsRpc.list, filters, reader)).items.map((job) => job.id);

      expect(await ids({ profile: 'talk' })).toEqual([talk]);
      expect(await ids({ profile: 'meeting' })).toEqual([meeting]);
      const created = (await get(talk, reader)).created_at;
      expect(await ids({ created_from: created })).toContain(talk);
      expect(await ids({ created_to: new Date(Date.parse(created) - 60_000).toISOString() })).toEqual([]);
      expect(await ids({ batch_id: randomUUID() })).toEqual([]);
      for (const filters of [{ profile: 'no such!' }, { batch_id: 'x' }, { created_from: 'yesterday' }]) {
        expect(await refusal(jobs.call(JobsRpc.list, filters, reader))).toBe('VALIDATION_FAILED');
      }
    });

    it('refuses a reader without the jobs:read scope', async () => {
      const { job_id: jobId } = await create(ana);
      expect(await refusal(get(jobId, { ...ana, scopes: ['jobs:write'] }))).toBe('FORBIDDEN');
    });
  });

  it('cancels a queued job once; a second cancel is a CONFLICT', async () => {
    const { job_id: jobId } = await create(ana);
    const cancelled = await jobs.call<JobView>(JobsRpc.cancel, { job_id: jobId }, ana);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.completed_at).not.toBeNull();
    expect(await refusal(jobs.call(JobsRpc.cancel, { job_id: jobId }, ana))).toBe('CONFLICT');
  });

  describe('worker reports', () => {
    it('takes the worker through running to completed with metrics, and nothing after', async () => {
      const { job_id: jobId } = await create(ana);
      const running = await jobs.call<JobView>(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker);
      expect(running.status).toBe('running');
      const done = await jobs.call<JobView>(
        JobsRpc.markCompleted,
        { job_id: jobId, attempt: 1, metrics, cost: 0, artifact_ids: [randomUUID()] },
        worker,
      );
      expect(done).toMatchObject({ status: 'completed', metrics, cost: 0 });
      expect(
        await refusal(
          jobs.call(
            JobsRpc.markFailed,
            { job_id: jobId, attempt: 1, error: { code: 'X', message: 'late', retryable: false } },
            worker,
          ),
        ),
      ).toBe('CONFLICT');
      expect((await get(jobId)).status).toBe('completed');
    });

    it('keeps an LLM provider’s token split, model and dropped items, and shows who analysed', async () => {
      const { job_id: jobId } = await create(ana);
      await jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker);
      const llmMetrics = {
        ...metrics,
        tokens: 2_000,
        input_tokens: 1_200,
        output_tokens: 800,
        provider: 'openai',
        model: 'gpt-4o-mini',
        dropped_items: 1,
      };
      const done = await jobs.call<JobView>(
        JobsRpc.markCompleted,
        { job_id: jobId, attempt: 1, metrics: llmMetrics, cost: 0.00066, artifact_ids: [] },
        worker,
      );
      expect(done).toMatchObject({ metrics: llmMetrics, cost: 0.00066, provider: 'openai:gpt-4o-mini' });
      expect(await get(jobId)).toMatchObject({ metrics: llmMetrics, provider: 'openai:gpt-4o-mini' });

      const other = await create(ana);
      await jobs.call(JobsRpc.markStarted, { job_id: other.job_id, attempt: 1 }, worker);
      const bad = { ...llmMetrics, input_tokens: -1 };
      expect(
        await refusal(
          jobs.call(
            JobsRpc.markCompleted,
            { job_id: other.job_id, attempt: 1, metrics: bad, cost: 0, artifact_ids: [] },
            worker,
          ),
        ),
      ).toBe('VALIDATION_FAILED');
    });

    it('refuses reports from anyone but the worker, and for another attempt', async () => {
      const { job_id: jobId } = await create(ana);
      expect(await refusal(jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, ana))).toBe(
        'FORBIDDEN',
      );
      expect(await refusal(jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 2 }, worker))).toBe(
        'CONFLICT',
      );
    });

    it('fails a job for good on a non-retryable failure, keeping the error', async () => {
      const { job_id: jobId } = await create(ana);
      const error = { code: 'TRANSCRIPT_UNPARSEABLE', message: 'no cues', retryable: false };
      const failed = await jobs.call<JobView>(
        JobsRpc.markFailed,
        { job_id: jobId, attempt: 1, error },
        worker,
      );
      expect(failed).toMatchObject({ status: 'failed', error, attempts: 1 });
    });

    it('retries a retryable failure after its backoff with the next attempt', async () => {
      const { job_id: jobId } = await create(ana);
      await jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker);
      const error = { code: 'PROVIDER_UNAVAILABLE', message: 'try later', retryable: true };
      const scheduled = await jobs.call<JobView>(
        JobsRpc.markFailed,
        { job_id: jobId, attempt: 1, error },
        worker,
      );
      expect(scheduled).toMatchObject({ status: 'queued', attempts: 2, error });
      // Before its time nothing goes out; once due, the work for attempt 2 does.
      await scheduler().runOnce(new Date());
      expect(await refusal(jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 2 }, worker))).toBe(
        'CONFLICT',
      );
      const pass = await scheduler().runOnce(later(10));
      expect(pass.dispatched).toBeGreaterThanOrEqual(1);
      const work = await workFor(jobId, 2);
      expect(work.data.attempt).toBe(2);
      await expectSchedulerKeptCorrelation(jobId, work);
      const running = await jobs.call<JobView>(JobsRpc.markStarted, { job_id: jobId, attempt: 2 }, worker);
      expect(running).toMatchObject({ status: 'running', attempts: 2 });
    });
  });

  describe('watchdog', () => {
    it('re-queues a job without progress with the next attempt, and refuses the old attempt', async () => {
      const { job_id: jobId } = await create(ana);
      await jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker);
      await scheduler().runOnce(later(STALL_SECONDS + 5));
      expect(await get(jobId)).toMatchObject({ status: 'queued', attempts: 2 });
      const work = await workFor(jobId, 2);
      expect(work.data.job_id).toBe(jobId);
      await expectSchedulerKeptCorrelation(jobId, work);
      expect(
        await refusal(
          jobs.call(
            JobsRpc.markCompleted,
            { job_id: jobId, attempt: 1, metrics, cost: 0, artifact_ids: [] },
            worker,
          ),
        ),
      ).toBe('CONFLICT');
    });

    it('leaves a job with recent progress alone', async () => {
      const { job_id: jobId } = await create(ana);
      await scheduler().runOnce(later(STALL_SECONDS - 30));
      expect(await get(jobId)).toMatchObject({ status: 'queued', attempts: 1 });
    });

    it('fails a job that stalls on its last attempt', async () => {
      const { job_id: jobId } = await create(ana);
      for (const seconds of [1, 2, 3]) await scheduler().runOnce(later(seconds * (STALL_SECONDS + 5)));
      expect(await get(jobId)).toMatchObject({
        status: 'failed',
        attempts: 3,
        error: { code: 'JOB_STALLED' },
      });
    });

    it("leaves a running job whose worker heartbeats alone in a pass that re-queues one that doesn't", async () => {
      const { job_id: beating } = await create(ana);
      const { job_id: silent } = await create(ana);
      await jobs.call(JobsRpc.markStarted, { job_id: beating, attempt: 1 }, worker);
      const started = await jobs.call<JobView>(JobsRpc.markStarted, { job_id: silent, attempt: 1 }, worker);
      // The heartbeat comes strictly later than both starts (clock resolution is a millisecond).
      const startedAt = new Date(started.updated_at).getTime();
      while (Date.now() <= startedAt + 2) await new Promise((resolveWait) => setTimeout(resolveWait, 5));
      const beat = await jobs.call<JobView>(JobsRpc.heartbeat, { job_id: beating, attempt: 1 }, worker);
      expect(beat).toMatchObject({ status: 'running', attempts: 1 });
      const beatAt = new Date(beat.updated_at).getTime();
      expect(beatAt).toBeGreaterThan(startedAt);
      // A pass whose stall limit falls between the starts and the heartbeat.
      await scheduler().runOnce(new Date(beatAt - 1 + STALL_SECONDS * 1000));
      expect(await get(silent)).toMatchObject({ status: 'queued', attempts: 2 });
      expect(await get(beating)).toMatchObject({ status: 'running', attempts: 1 });
      const history = await jobs.app.get(EventStore).readStream(jobStreamId(beating));
      expect(history.map((event) => event.type)).toEqual([
        'JobCreated',
        'JobQueued',
        'JobStarted',
        'JobProgressed',
      ]);
    });

    it('refuses a heartbeat of a stale attempt, of an ended job, from anyone but the worker, and a bad payload', async () => {
      const { job_id: jobId } = await create(ana);
      await jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker);
      const heartbeat = (data: unknown, actor: Actor = worker) => jobs.call(JobsRpc.heartbeat, data, actor);
      expect(await refusal(heartbeat({ job_id: jobId, attempt: 2 }))).toBe('CONFLICT');
      expect(await refusal(heartbeat({ job_id: jobId, attempt: 1 }, ana))).toBe('FORBIDDEN');
      expect(await refusal(heartbeat({ job_id: jobId, attempt: 0 }))).toBe('VALIDATION_FAILED');
      expect(await refusal(heartbeat({ attempt: 1 }))).toBe('VALIDATION_FAILED');
      await jobs.call(
        JobsRpc.markCompleted,
        { job_id: jobId, attempt: 1, metrics, cost: 0, artifact_ids: [] },
        worker,
      );
      expect(await refusal(heartbeat({ job_id: jobId, attempt: 1 }))).toBe('CONFLICT');
      expect(await get(jobId)).toMatchObject({ status: 'completed', attempts: 1 });
    });
  });
});
