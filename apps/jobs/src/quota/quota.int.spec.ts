import { createHash, randomUUID } from 'node:crypto';
import {
  BatchesRpc,
  JobsRpc,
  PromptsRpc,
  type Actor,
  type CreateBatchResponse,
  type CreateJobResponse,
  type JobView,
  type Page,
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

const scopes = ['jobs:read', 'jobs:write'];
const user = (): Actor => ({ id: randomUUID(), role: 'user', scopes });
const worker: Actor = { id: 'service:worker', role: 'service', scopes: [] };
const metrics = { duration_ms: 1_000, words: 10, segments: 2, speakers: 1, tokens: 500 };

const JOBS_PER_DAY = 3;
const TRANSCRIPT_BYTES = 100;
const USER_CAP_USD = 1;
const TOTAL_CAP_USD = 3;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const blob = (text: string) => ({ uri: `blob://sha256/${sha(text)}`, sha256: sha(text), size: text.length });

/**
 * Quotas and spend caps in the jobs service, with the real profiles service: the daily job
 * quota holds under concurrent creates (the user's `quota_usage` row serialises them), a batch
 * counts as its N jobs, too large a transcript is refused, and the day's LLM spend (from
 * completed jobs' cost) stops new jobs at the user's and the platform's caps.
 */
describe('quotas and spend caps in the jobs service', () => {
  let database: TestDatabase;
  let jobs: JobsTestApp;
  let profiles: { stop(): Promise<void> };
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('jobs_quota');

  const create = (actor: Actor, text = 'WEBVTT') =>
    jobs.call<CreateJobResponse>(
      JobsRpc.create,
      { profile: 'meeting', input: blob(text), request_hash: sha(randomUUID()) },
      actor,
    );
  const createBatch = (actor: Actor, count: number) =>
    jobs.call<CreateBatchResponse>(
      BatchesRpc.create,
      {
        profile: 'meeting',
        items: Array.from({ length: count }, (_, index) => ({ input: blob(`WEBVTT ${index}`) })),
        request_hash: sha(randomUUID()),
      },
      actor,
    );
  const jobsOf = async (actor: Actor) =>
    (await jobs.call<Page<JobView>>(JobsRpc.list, { limit: 100 }, actor)).items;
  const refusalOf = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      const { code, message, retryable } = error as { code: string; message: string; retryable: boolean };
      return { code, message, retryable };
    }
    throw new Error('the call was not refused');
  };
  const complete = async (jobId: string, cost: number) => {
    await jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker);
    await jobs.call(
      JobsRpc.markCompleted,
      { job_id: jobId, attempt: 1, metrics, cost, artifact_ids: [] },
      worker,
    );
  };

  beforeAll(async () => {
    database = await createTestDatabase('jobs_quota');
    const connection = { databaseUrl: database.url, redisUrl, keyPrefix };
    profiles = await startProfilesProcess(connection);
    jobs = await startJobsTestApp({
      ...connection,
      settings: {
        QUOTA_JOBS_PER_DAY: String(JOBS_PER_DAY),
        QUOTA_TRANSCRIPT_BYTES: String(TRANSCRIPT_BYTES),
        SPEND_CAP_USER_DAILY_USD: String(USER_CAP_USD),
        SPEND_CAP_TOTAL_DAILY_USD: String(TOTAL_CAP_USD),
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

  it('migrates to exactly the schema the entities describe', () => {
    expect(jobs.driftAfterMigrations).toBe('');
  });

  it('lets exactly the quota of jobs through when a user creates more at once, for several users racing', async () => {
    const users = Array.from({ length: 4 }, user);
    const outcomes = await Promise.all(
      users.map((actor) => Promise.allSettled(Array.from({ length: JOBS_PER_DAY + 2 }, () => create(actor)))),
    );
    for (const [index, settled] of outcomes.entries()) {
      expect(settled.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(JOBS_PER_DAY);
      const refused = settled.filter((outcome) => outcome.status === 'rejected');
      expect(refused).toHaveLength(2);
      for (const outcome of refused) {
        expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'QUOTA_EXCEEDED' });
      }
      expect(await jobsOf(users[index] as Actor)).toHaveLength(JOBS_PER_DAY);
    }
  });

  it('refuses the job after the quota with a message saying the limit and when it resets', async () => {
    const actor = user();
    for (let n = 0; n < JOBS_PER_DAY; n++) await create(actor);
    const refusal = await refusalOf(create(actor));
    expect(refusal).toMatchObject({ code: 'QUOTA_EXCEEDED', retryable: true });
    expect(refusal.message).toMatch(
      /^you have reached the daily quota of 3 jobs \(3 created today\); it resets at \d{4}-\d{2}-\d{2}T00:00:00\.000Z$/,
    );
    expect(await jobsOf(actor)).toHaveLength(JOBS_PER_DAY);
  });

  it('counts a batch of N as N jobs, refusing all of a batch that would pass the quota', async () => {
    const actor = user();
    await create(actor);
    const refusal = await refusalOf(createBatch(actor, JOBS_PER_DAY));
    expect(refusal.code).toBe('QUOTA_EXCEEDED');
    expect(refusal.message).toMatch(/^these 3 jobs would pass the daily quota of 3 jobs \(1 created today\)/);
    expect(await jobsOf(actor)).toHaveLength(1);
    const batch = await createBatch(actor, JOBS_PER_DAY - 1);
    expect(batch.job_ids).toHaveLength(JOBS_PER_DAY - 1);
    expect((await refusalOf(create(actor))).code).toBe('QUOTA_EXCEEDED');
  });

  it('refuses a transcript over the size quota, and writes nothing', async () => {
    const actor = user();
    const refusal = await refusalOf(create(actor, 'x'.repeat(TRANSCRIPT_BYTES + 1)));
    expect(refusal).toEqual({
      code: 'QUOTA_EXCEEDED',
      message: 'the transcript is 101 bytes, over the per-transcript quota of 100 bytes',
      retryable: false,
    });
    expect(await jobsOf(actor)).toHaveLength(0);
    await expect(create(actor, 'x'.repeat(TRANSCRIPT_BYTES))).resolves.toMatchObject({ replayed: false });
  });

  it('exempts admins from the per-user quotas', async () => {
    const admin: Actor = { id: randomUUID(), role: 'admin', scopes };
    for (let n = 0; n < JOBS_PER_DAY + 1; n++) await create(admin);
    await expect(create(admin, 'x'.repeat(TRANSCRIPT_BYTES * 2))).resolves.toMatchObject({ replayed: false });
  });

  it("counts an answered custom prompt's cost, and refuses new prompts and jobs at the cap", async () => {
    const pia = user();
    const job = await create(pia);
    await complete(job.job_id, 0);
    const asked = await jobs.call<{ prompt_id: string }>(
      PromptsRpc.create,
      { job_id: job.job_id, prompt: 'What was decided?' },
      pia,
    );
    await jobs.call(
      PromptsRpc.answered,
      {
        prompt_id: asked.prompt_id,
        result_artifact_id: randomUUID(),
        json_artifact_id: randomUUID(),
        provider: 'openai:gpt-test',
        tokens: 1_000,
        cost: 1,
      },
      worker,
    );
    const refused = await refusalOf(
      jobs.call(PromptsRpc.create, { job_id: job.job_id, prompt: 'And who owns it?' }, pia),
    );
    expect(refused.code).toBe('SPEND_CAP_REACHED');
    expect(refused.message).toMatch(/\(\$1\.00 spent today\)/);
    expect((await refusalOf(create(pia))).code).toBe('SPEND_CAP_REACHED');
  });

  // Last: once the platform's cap is reached, every create in this database is refused.
  it("stops new jobs once the day's spend reaches the user's cap, then the platform's", async () => {
    const bea = user();
    const first = await create(bea);
    await complete(first.job_id, 0.6);
    const second = await create(bea);
    await complete(second.job_id, 0.5);
    const capped = await refusalOf(create(bea));
    expect(capped).toMatchObject({ code: 'SPEND_CAP_REACHED', retryable: true });
    expect(capped.message).toMatch(
      /^your daily LLM spend cap of \$1\.00 is reached \(\$1\.10 spent today\); it resets at .*T00:00:00\.000Z$/,
    );
    expect(await jobsOf(bea)).toHaveLength(2);

    const cal = user();
    const calsJob = await create(cal);
    await complete(calsJob.job_id, 0.9);
    // 1 (the prompt above) + 1.1 + 0.9 = 3.0: the platform's cap of 3 is reached (>=), for everyone, admins too.
    const dee = user();
    const platform = await refusalOf(create(dee));
    expect(platform.code).toBe('SPEND_CAP_REACHED');
    expect(platform.message).toMatch(/^the platform's daily LLM spend cap of \$3\.00 is reached/);
    const admin: Actor = { id: randomUUID(), role: 'admin', scopes };
    expect((await refusalOf(create(admin))).code).toBe('SPEND_CAP_REACHED');
    expect(await jobsOf(dee)).toHaveLength(0);
  });
});
