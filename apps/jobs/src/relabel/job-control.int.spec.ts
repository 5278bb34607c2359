import { createHash, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import {
  JobControlRpc,
  JobsRpc,
  RELABEL_SPEAKERS,
  type Actor,
  type CreateJobResponse,
  type JobView,
  type MessageEnvelope,
  type RelabelSpeakersResponse,
  type RelabelSpeakersWork,
  type RelabelStatusView,
  type RelabelView,
  type RerunJobResponse,
} from '@scriptripper/contracts';
import { EventStore } from '@scriptripper/event-store';
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
import { jobSpeakersStreamId } from './relabel.aggregate';

const scopes = ['jobs:read', 'jobs:write'];
const ana: Actor = { id: randomUUID(), role: 'user', scopes };
const ben: Actor = { id: randomUUID(), role: 'user', scopes };
const worker: Actor = { id: 'service:worker', role: 'service', scopes: [] };
const RENAME = { 'Speaker 0': 'Alice Liddell', 'Speaker 1': 'Alice Liddell' };

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const blob = (text: string) => ({ uri: `blob://sha256/${sha(text)}`, sha256: sha(text), size: text.length });
const metrics = { duration_ms: 90_000, words: 240, segments: 12, speakers: 3, tokens: 0 };

describe('re-runs and speaker relabelling over rpc:jobs', () => {
  let database: TestDatabase;
  let jobs: JobsTestApp;
  let profiles: { stop(): Promise<void> };
  let redis: Redis;
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('job_control');

  const refusal = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return (error as { code?: string }).code;
    }
    throw new Error('the call was not refused');
  };
  const createJob = async (owner: Actor, source = `WEBVTT ${randomUUID()}`) =>
    (
      await jobs.call<CreateJobResponse>(
        JobsRpc.create,
        {
          profile: 'meeting',
          input: blob(source),
          filename: 'standup.vtt',
          meeting_date: '2026-03-02',
          request_hash: sha(randomUUID()),
        },
        owner,
      )
    ).job_id;
  const complete = async (jobId: string) => {
    await jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker);
    await jobs.call(
      JobsRpc.markCompleted,
      { job_id: jobId, attempt: 1, metrics, cost: 0, artifact_ids: [] },
      worker,
    );
    return jobId;
  };
  const relabelWorkFor = async (relabelId: string) => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const entries = await redis.xrange(`${keyPrefix}work:analysis`, '-', '+');
      const found = entries
        .map(([, fields]) => JSON.parse(fields[1] ?? '{}') as MessageEnvelope<RelabelSpeakersWork>)
        .find((envelope) => envelope.type === RELABEL_SPEAKERS && envelope.data.relabel_id === relabelId);
      if (found) return found;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    throw new Error(`no RelabelSpeakers work message for ${relabelId}`);
  };

  beforeAll(async () => {
    database = await createTestDatabase('job_control');
    redis = new Redis(redisUrl);
    const connection = { databaseUrl: database.url, redisUrl, keyPrefix };
    profiles = await startProfilesProcess(connection);
    jobs = await startJobsTestApp(connection);
    await profilesAnswering(jobs, ana);
  }, 120_000);

  afterAll(async () => {
    await jobs?.close();
    await profiles?.stop();
    redis?.disconnect();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
  });

  describe('re-runs', () => {
    it('creates a new queued job over the same input and settings, naming the original', async () => {
      const original = await complete(await createJob(ana));
      const { job_id: rerunId } = await jobs.call<RerunJobResponse>(
        JobControlRpc.rerun,
        { job_id: original },
        ana,
      );
      expect(rerunId).not.toBe(original);
      const [before, after] = await Promise.all(
        [original, rerunId].map((id) => jobs.call<JobView>(JobsRpc.get, { job_id: id }, ana)),
      );
      expect(after).toMatchObject({
        status: 'queued',
        rerun_of: original,
        input_uri: before?.input_uri,
        filename: 'standup.vtt',
        meeting_date: '2026-03-02',
        profile_key: 'meeting',
        profile_version: before?.profile_version,
      });
      expect(before?.rerun_of).toBeNull();
    });

    it('refuses a job still running (CONFLICT), another user’s (NOT_FOUND), a version that does not exist', async () => {
      const queued = await createJob(ana);
      expect(await refusal(jobs.call(JobControlRpc.rerun, { job_id: queued }, ana))).toBe('CONFLICT');
      const done = await complete(await createJob(ana));
      expect(await refusal(jobs.call(JobControlRpc.rerun, { job_id: done }, ben))).toBe('NOT_FOUND');
      expect(await refusal(jobs.call(JobControlRpc.rerun, { job_id: done, profile_version: 99 }, ana))).toBe(
        'NOT_FOUND',
      );
      expect(await refusal(jobs.call(JobControlRpc.rerun, { job_id: done, profile_version: 0 }, ana))).toBe(
        'VALIDATION_FAILED',
      );
    });
  });

  describe('speaker relabelling', () => {
    it('records the renames sealed, sends work without them, and gives them to the worker only', async () => {
      const jobId = await complete(await createJob(ana));
      const accepted = await jobs.call<RelabelSpeakersResponse>(
        JobControlRpc.relabelSpeakers,
        { job_id: jobId, rename: RENAME },
        ana,
      );
      expect(accepted.job_id).toBe(jobId);
      const [requested] = await jobs.app.get(EventStore).readStream(jobSpeakersStreamId(jobId));
      expect(requested?.type).toBe('SpeakersRelabelRequested');
      expect(JSON.stringify(requested?.data)).not.toContain('Alice');

      const work = await relabelWorkFor(accepted.relabel_id);
      expect(work.data).toMatchObject({ job_id: jobId, user_id: ana.id, profile: { key: 'meeting' } });
      expect(JSON.stringify(work)).not.toContain('Alice');

      const view = await jobs.call<RelabelView>(
        JobControlRpc.getRelabel,
        { job_id: jobId, relabel_id: accepted.relabel_id },
        worker,
      );
      expect(view).toMatchObject({ id: accepted.relabel_id, rename: RENAME, status: 'pending' });
      expect(
        await refusal(
          jobs.call(JobControlRpc.getRelabel, { job_id: jobId, relabel_id: accepted.relabel_id }, ana),
        ),
      ).toBe('FORBIDDEN');
    });

    it('applies one relabelling at a time, each once', async () => {
      const jobId = await complete(await createJob(ana));
      const first = await jobs.call<RelabelSpeakersResponse>(
        JobControlRpc.relabelSpeakers,
        { job_id: jobId, rename: { 'Speaker 0': 'Alice' } },
        ana,
      );
      expect(
        await refusal(
          jobs.call(JobControlRpc.relabelSpeakers, { job_id: jobId, rename: { 'Speaker 1': 'Bo' } }, ana),
        ),
      ).toBe('CONFLICT');
      const applied = { job_id: jobId, relabel_id: first.relabel_id, artifact_ids: [randomUUID()] };
      const statusOf = (relabelId: string, actor: Actor) =>
        jobs.call<RelabelStatusView>(
          JobControlRpc.relabelStatus,
          { job_id: jobId, relabel_id: relabelId },
          actor,
        );
      expect(await statusOf(first.relabel_id, ana)).toEqual({
        id: first.relabel_id,
        job_id: jobId,
        status: 'pending',
        error: null,
      });
      expect(await refusal(statusOf(first.relabel_id, ben))).toBe('NOT_FOUND');
      expect(await refusal(statusOf(randomUUID(), ana))).toBe('NOT_FOUND');
      await jobs.call(JobControlRpc.relabelApplied, applied, worker);
      await jobs.call(JobControlRpc.relabelApplied, applied, worker);
      expect(await statusOf(first.relabel_id, ana)).toMatchObject({ status: 'applied', error: null });
      const error = { code: 'X', message: 'late', retryable: false };
      expect(
        await refusal(
          jobs.call(
            JobControlRpc.relabelFailed,
            { job_id: jobId, relabel_id: first.relabel_id, error },
            worker,
          ),
        ),
      ).toBe('CONFLICT');
      await jobs.call(JobControlRpc.relabelSpeakers, { job_id: jobId, rename: { 'Speaker 1': 'Bo' } }, ana);
      const types = (await jobs.app.get(EventStore).readStream(jobSpeakersStreamId(jobId))).map(
        (event) => event.type,
      );
      expect(types).toEqual(['SpeakersRelabelRequested', 'SpeakersRelabeled', 'SpeakersRelabelRequested']);
      const second = (await jobs.app.get(EventStore).readStream(jobSpeakersStreamId(jobId)))[2]?.data as {
        relabel_id: string;
      };
      const noLabel = {
        code: 'UNKNOWN_SPEAKER',
        message: 'no speaker is labelled "Speaker 1"',
        retryable: false,
      };
      await jobs.call(
        JobControlRpc.relabelFailed,
        { job_id: jobId, relabel_id: second.relabel_id, error: noLabel },
        worker,
      );
      expect(await statusOf(second.relabel_id, ana)).toMatchObject({ status: 'failed', error: noLabel });
    });

    it('refuses bad renames, another user’s job and a job not completed, recording nothing', async () => {
      const jobId = await complete(await createJob(ana));
      for (const rename of [
        {},
        [],
        { 'Speaker 0': ' ' },
        { 'Speaker 0': 'x'.repeat(101) },
        { '': 'Alice' },
        null,
      ]) {
        expect(await refusal(jobs.call(JobControlRpc.relabelSpeakers, { job_id: jobId, rename }, ana))).toBe(
          'VALIDATION_FAILED',
        );
      }
      expect(
        await refusal(jobs.call(JobControlRpc.relabelSpeakers, { job_id: jobId, rename: RENAME }, ben)),
      ).toBe('NOT_FOUND');
      const queued = await createJob(ana);
      expect(
        await refusal(jobs.call(JobControlRpc.relabelSpeakers, { job_id: queued, rename: RENAME }, ana)),
      ).toBe('CONFLICT');
      expect(await jobs.app.get(EventStore).readStream(jobSpeakersStreamId(jobId))).toEqual([]);
      expect(await jobs.app.get(EventStore).readStream(jobSpeakersStreamId(queued))).toEqual([]);
    });
  });
});
