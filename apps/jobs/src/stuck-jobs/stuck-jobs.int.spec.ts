import { createHash, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import {
  JobsOperationsRpc,
  JobsRpc,
  OPERATOR_TOOL_ACTOR,
  type Actor,
  type CreateJobResponse,
  type JobView,
  type MessageEnvelope,
  type RequeueStuckJobsAnswer,
  type StuckJobsPage,
} from '@scriptripper/contracts';
import { EventStore } from '@scriptripper/event-store';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { jobStreamId } from '../job/job.events';
import {
  profilesAnswering,
  startJobsTestApp,
  startProfilesProcess,
  type JobsTestApp,
} from '../test-support/jobs-test-app';

const user: Actor = { id: randomUUID(), role: 'user', scopes: ['jobs:read', 'jobs:write'] };
const worker: Actor = { id: 'service:worker', role: 'service', scopes: [] };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('operators re-run stuck jobs over rpc:jobs', () => {
  let database: TestDatabase;
  let jobs: JobsTestApp;
  let profiles: { stop(): Promise<void> };
  let redis: Redis;
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('stuck-jobs');

  const create = async (text: string) =>
    (
      await jobs.call<CreateJobResponse>(
        JobsRpc.create,
        {
          profile: 'meeting',
          input: { uri: `blob://sha256/${sha(text)}`, sha256: sha(text), size: text.length },
          request_hash: sha(text),
        },
        user,
      )
    ).job_id;
  const refusal = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return (error as { code?: string }).code;
    }
    throw new Error('the call was not refused');
  };
  const workAttempts = async (jobId: string) => {
    const entries = await redis.xrange(`${keyPrefix}work:analysis`, '-', '+');
    return entries
      .map(
        ([, fields]) => JSON.parse(fields[1] ?? '{}') as MessageEnvelope<{ job_id: string; attempt: number }>,
      )
      .filter((envelope) => envelope.data.job_id === jobId)
      .map((envelope) => envelope.data.attempt);
  };

  beforeAll(async () => {
    database = await createTestDatabase('stuck_jobs');
    redis = new Redis(redisUrl);
    const connection = { databaseUrl: database.url, redisUrl, keyPrefix };
    profiles = await startProfilesProcess(connection);
    // The watchdog stays out of the way (a day), so only the operator's command acts here.
    jobs = await startJobsTestApp({
      ...connection,
      settings: { JOB_STALL_SECONDS: '86400', JOB_MAX_ATTEMPTS: '2', JOB_SCHEDULER_INTERVAL_MS: '3600000' },
    });
    await profilesAnswering(jobs, user);
  }, 120_000);

  afterAll(async () => {
    await jobs?.close();
    await profiles?.stop();
    redis?.disconnect();
    await database?.drop();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  it('lists queued and running jobs without progress, re-queues them on their own stream, and fails one out of attempts', async () => {
    const stuck = await create('stuck transcript');
    const done = await create('finished transcript');
    await jobs.call(JobsRpc.markStarted, { job_id: done, attempt: 1 }, worker);
    await jobs.call(
      JobsRpc.markFailed,
      { job_id: done, attempt: 1, error: { code: 'PARSE_FAILED', message: 'bad', retryable: false } },
      worker,
    );

    const listed = await jobs.call<StuckJobsPage>(
      JobsOperationsRpc.listStuck,
      { older_than_minutes: 0 },
      OPERATOR_TOOL_ACTOR,
    );
    expect(listed.items.map((item) => [item.job_id, item.status, item.attempts])).toEqual([
      [stuck, 'queued', 1],
    ]);
    const notYet = await jobs.call<StuckJobsPage>(
      JobsOperationsRpc.listStuck,
      { older_than_minutes: 60 },
      OPERATOR_TOOL_ACTOR,
    );
    expect(notYet.items).toEqual([]);

    const requeued = await jobs.call<RequeueStuckJobsAnswer>(
      JobsOperationsRpc.requeueStuck,
      { older_than_minutes: 0, job_ids: [stuck, done] },
      OPERATOR_TOOL_ACTOR,
    );
    expect(requeued.items.map((item) => [item.job_id, item.outcome])).toEqual([[stuck, 'requeued']]);
    expect(await jobs.call<JobView>(JobsRpc.get, { job_id: stuck }, user)).toMatchObject({
      status: 'queued',
    });
    const history = await jobs.app.get(EventStore).readStream(jobStreamId(stuck));
    const byOperator = history.filter((event) => event.metadata.actor.id === OPERATOR_TOOL_ACTOR.id);
    expect(byOperator.map((event) => event.type)).toEqual(['JobRetryScheduled', 'JobQueued']);
    // The job's correlation id is kept, so the audit finds the operator's re-run with the job.
    expect(new Set(history.map((event) => event.metadata.correlationId)).size).toBe(1);
    for (let wait = 0; !(await workAttempts(stuck)).includes(2) && wait < 150; wait++) {
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
    expect(await workAttempts(stuck)).toEqual([1, 2]);

    const outOfAttempts = await jobs.call<RequeueStuckJobsAnswer>(
      JobsOperationsRpc.requeueStuck,
      { older_than_minutes: 0 },
      OPERATOR_TOOL_ACTOR,
    );
    expect(outOfAttempts.items.map((item) => [item.job_id, item.outcome])).toEqual([[stuck, 'failed']]);
    expect(await jobs.call<JobView>(JobsRpc.get, { job_id: stuck }, user)).toMatchObject({
      status: 'failed',
    });
  });

  it('refuses users and bad payloads, changing nothing', async () => {
    const job = await create('another stuck transcript');
    expect(await refusal(jobs.call(JobsOperationsRpc.requeueStuck, { older_than_minutes: 0 }, user))).toBe(
      'FORBIDDEN',
    );
    for (const bad of [
      {},
      { older_than_minutes: -1 },
      { older_than_minutes: 1.5 },
      { older_than_minutes: 0, job_ids: 'x' },
      { older_than_minutes: 0, limit: 0 },
    ]) {
      expect(await refusal(jobs.call(JobsOperationsRpc.requeueStuck, bad, OPERATOR_TOOL_ACTOR))).toBe(
        'VALIDATION_FAILED',
      );
    }
    const history = await jobs.app.get(EventStore).readStream(jobStreamId(job));
    expect(history.map((event) => event.type)).toEqual(['JobCreated', 'JobQueued']);
  });
});
