import { createHash, randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ARTIFACT_EVENTS_STREAM,
  ArtifactEvents,
  BatchesRpc,
  ErrorCodes,
  IdentityEvents,
  JobsRpc,
  LifecycleRpc,
  serviceActor,
  Streams,
  type Actor,
  type ArtifactExpiredEvent,
  type CreateBatchResponse,
  type CreateJobResponse,
  type JobView,
  type MessageEnvelope,
  type Page,
} from '@scriptripper/contracts';
import { EventStore } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { StreamPublisher } from '@scriptripper/streams';
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
import { TranscriptExpiryHandler } from '../retention/transcript-expiry.handler';
import { JobDataErasure } from './job-data-erasure';

const scopes = ['jobs:read', 'jobs:write'];
const user = (): Actor => ({ id: randomUUID(), role: 'user', scopes });
const worker: Actor = { id: 'service:worker', role: 'service', scopes: [] };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const blob = (text: string) => ({ uri: `blob://sha256/${sha(text)}`, sha256: sha(text), size: text.length });

describe('deleting jobs, purged users and expired transcripts in the jobs service', () => {
  let database: TestDatabase;
  let jobs: JobsTestApp;
  let profiles: { stop(): Promise<void> };
  let publisher: StreamPublisher;
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('jobs-lifecycle');
  /** What a slice registered with the erasure saw: the other slices' rows go the same way. */
  const erased: string[] = [];

  const create = async (actor: Actor, extra: Record<string, unknown> = {}) =>
    (
      await jobs.call<CreateJobResponse>(
        JobsRpc.create,
        {
          profile: 'meeting',
          input: blob(`WEBVTT ${randomUUID()}`),
          request_hash: sha(randomUUID()),
          ...extra,
        },
        actor,
      )
    ).job_id;
  const get = (jobId: string, actor: Actor) => jobs.call<JobView>(JobsRpc.get, { job_id: jobId }, actor);
  const remove = (jobId: string, actor: Actor) => jobs.call(LifecycleRpc.deleteJob, { job_id: jobId }, actor);
  const refusal = (call: Promise<unknown>) =>
    call.then(
      () => null,
      (error: { code?: string }) => error.code,
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
  const eventually = async <T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const value = await probe();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the condition did not hold within 200 polls');
  };
  const eventTypes = async (jobId: string) =>
    (await jobs.app.get(EventStore).readStream(jobStreamId(jobId))).map((event) => event.type);

  beforeAll(async () => {
    database = await createTestDatabase('jobs_lifecycle');
    const connection = { databaseUrl: database.url, redisUrl, keyPrefix };
    profiles = await startProfilesProcess(connection);
    jobs = await startJobsTestApp({ ...connection, settings: { JOB_SCHEDULER_INTERVAL_MS: '3600000' } });
    publisher = new StreamPublisher({ redisUrl, keyPrefix });
    jobs.app.get(JobDataErasure).register({
      name: 'test-slice',
      eraseJob: async (_em, job) => void erased.push(`job ${job.jobId}`),
      eraseUser: async (_em, userId) => void erased.push(`user ${userId}`),
    });
    await profilesAnswering(jobs, user());
  }, 120_000);

  afterAll(async () => {
    await publisher?.close();
    await jobs?.close();
    await profiles?.stop();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await database?.drop();
  });

  it('cancels a queued job, deletes it, and answers NOT_FOUND for it afterwards, keeping its events', async () => {
    const ana = user();
    const jobId = await create(ana, { idempotency_key: 'delete-me' });

    await remove(jobId, ana);

    expect(await refusal(get(jobId, ana))).toBe(ErrorCodes.notFound);
    expect(await refusal(remove(jobId, ana))).toBe(ErrorCodes.notFound);
    expect(await refusal(jobs.call(JobsRpc.cancel, { job_id: jobId }, ana))).toBe(ErrorCodes.notFound);
    expect((await jobs.call<Page<JobView>>(JobsRpc.list, {}, ana)).items).toEqual([]);
    expect(await eventTypes(jobId)).toEqual(['JobCreated', 'JobQueued', 'JobCancelled', 'JobDeleted']);
    expect(erased).toContain(`job ${jobId}`);
    // The worker's late report is refused for good, as for a finished job.
    expect(await refusal(jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker))).toBe(
      ErrorCodes.conflict,
    );
    // Its idempotency key no longer answers the deleted job.
    expect(await create(ana, { idempotency_key: 'delete-me' })).not.toBe(jobId);
  });

  it("seals the job's file name in its events under the job's key, and shreds it when the job is deleted", async () => {
    const ana = user();
    const jobId = await create(ana, { filename: 'board-meeting-ana.vtt' });
    const created = async () =>
      (await jobs.app.get(EventStore).readStream(jobStreamId(jobId)))[0]?.data as { filename: string };
    const cipher = jobs.app.get(PersonalDataCipher);

    const sealed = (await created()).filename;
    expect(sealed).toMatch(/^pd1:/);
    expect(sealed).not.toContain('board-meeting');
    expect((await get(jobId, ana)).filename).toBe('board-meeting-ana.vtt');
    expect(await cipher.decrypt(jobId, sealed)).toBe('board-meeting-ana.vtt');

    await remove(jobId, ana);

    expect((await created()).filename).toBe(sealed);
    expect(await cipher.decrypt(jobId, sealed)).toBeNull();
  });

  it('deletes a finished job without cancelling it', async () => {
    const ana = user();
    const jobId = await create(ana);
    await jobs.call(
      JobsRpc.markFailed,
      { job_id: jobId, attempt: 1, error: { code: 'X', message: 'no', retryable: false } },
      worker,
    );

    await remove(jobId, ana);

    expect(await eventTypes(jobId)).toEqual(['JobCreated', 'JobQueued', 'JobFailed', 'JobDeleted']);
  });

  it("answers NOT_FOUND to another user deleting someone's job, and changes nothing", async () => {
    const ana = user();
    const jobId = await create(ana);

    expect(await refusal(remove(jobId, user()))).toBe(ErrorCodes.notFound);
    expect(await refusal(remove('not-a-job', ana))).toBe(ErrorCodes.notFound);
    expect(await refusal(jobs.call(LifecycleRpc.deleteJob, {}, ana))).toBe(ErrorCodes.validationFailed);
    expect(await refusal(remove(jobId, { ...ana, scopes: ['jobs:read'] }))).toBe(ErrorCodes.forbidden);
    expect((await get(jobId, ana)).status).toBe('queued');
  });

  it('deletes a job once when two deletes race', async () => {
    const ana = user();
    const jobId = await create(ana);

    const outcomes = await Promise.all([refusal(remove(jobId, ana)), refusal(remove(jobId, ana))]);

    expect(outcomes.filter((code) => code === null)).toHaveLength(1);
    expect(outcomes.filter((code) => code === ErrorCodes.notFound)).toHaveLength(1);
    expect((await eventTypes(jobId)).filter((type) => type === 'JobDeleted')).toHaveLength(1);
  });

  it('marks the transcript expired on the job when artifacts says so, once, and ignores outputs', async () => {
    const ana = user();
    const jobId = await create(ana);
    const expired = (kind: string, at: string): ArtifactExpiredEvent =>
      ({
        artifact_id: randomUUID(),
        job_id: jobId,
        user_id: ana.id,
        kind,
        retention: 'output',
        at,
      }) as ArtifactExpiredEvent;

    await publisher.publish(
      ARTIFACT_EVENTS_STREAM,
      envelope(
        ArtifactEvents.expired,
        expired('results_md', '2026-01-01T00:00:00.000Z'),
        serviceActor('artifacts'),
      ),
    );
    await publisher.publish(
      ARTIFACT_EVENTS_STREAM,
      envelope(
        ArtifactEvents.expired,
        expired('transcript', '2026-02-01T00:00:00.000Z'),
        serviceActor('artifacts'),
      ),
    );
    const view = await eventually(
      () => get(jobId, ana),
      (job) => job.transcript_expired_at != null,
    );
    expect(view.transcript_expired_at).toBe('2026-02-01T00:00:00.000Z');
    // The upload's expiry after it, and a redelivery, record nothing more.
    const uploadExpired = envelope(
      ArtifactEvents.expired,
      expired('upload', '2026-03-01T00:00:00.000Z'),
      serviceActor('artifacts'),
    );
    await jobs.app.get(TranscriptExpiryHandler).handle(uploadExpired);
    await jobs.app.get(TranscriptExpiryHandler).handle(uploadExpired);
    expect((await eventTypes(jobId)).filter((type) => type === 'JobTranscriptExpired')).toHaveLength(1);
    expect((await get(jobId, ana)).transcript_expired_at).toBe('2026-02-01T00:00:00.000Z');
    expect(view.status).toBe('queued');
  });

  it("erases a purged user's jobs and destroys their data key, leaving others' alone", async () => {
    const purged = user();
    const kept = user();
    const purgedJobs = [await create(purged, { filename: 'purged.vtt' }), await create(purged)];
    const keptJob = await create(kept);
    const cipher = jobs.app.get(PersonalDataCipher);
    const sealed = await cipher.encrypt(purged.id, 'Ana Example');

    await publisher.publish(
      Streams.events('auth'),
      envelope(IdentityEvents.userPurged, { user_id: purged.id }, serviceActor('auth')),
    );

    await eventually(
      () => jobs.call<Page<JobView>>(JobsRpc.list, {}, purged),
      (page) => page.items.length === 0,
    );
    expect(await cipher.decrypt(purged.id, sealed)).toBeNull();
    const [purgedCreated] = await jobs.app.get(EventStore).readStream(jobStreamId(purgedJobs[0] as string));
    expect(
      await cipher.decrypt(purgedJobs[0] as string, (purgedCreated?.data as { filename: string }).filename),
    ).toBeNull();
    expect(erased).toContain(`user ${purged.id}`);
    for (const jobId of purgedJobs) expect(await refusal(get(jobId, purged))).toBe(ErrorCodes.notFound);
    expect((await get(keptJob, kept)).status).toBe('queued');
    // Events stay: the log is intact.
    expect(await eventTypes(purgedJobs[0] as string)).toEqual(['JobCreated', 'JobQueued']);
    const [row] = await jobs.app
      .get(EntityManager)
      .fork()
      .getConnection()
      .execute<{ count: string }[]>('select count(*) as count from jobs.jobs where user_id = ?', [purged.id]);
    expect(Number(row?.count)).toBe(0);
  });

  it('deletes a batch with every job of it, once, and answers NOT_FOUND for it afterwards', async () => {
    const ana = user();
    const batch = await jobs.call<CreateBatchResponse>(
      BatchesRpc.create,
      {
        profile: 'meeting',
        items: [{ input: blob(`WEBVTT ${randomUUID()}`) }, { input: blob(`WEBVTT ${randomUUID()}`) }],
        request_hash: sha(randomUUID()),
      },
      ana,
    );
    const [alreadyDeleted, other] = batch.job_ids as [string, string];
    await remove(alreadyDeleted, ana);
    expect(await refusal(jobs.call(LifecycleRpc.deleteBatch, { batch_id: batch.batch_id }, user()))).toBe(
      ErrorCodes.notFound,
    );

    const outcomes = await Promise.all([
      refusal(jobs.call(LifecycleRpc.deleteBatch, { batch_id: batch.batch_id }, ana)),
      refusal(jobs.call(LifecycleRpc.deleteBatch, { batch_id: batch.batch_id }, ana)),
    ]);

    expect(outcomes.filter((code) => code === null)).toHaveLength(1);
    expect(outcomes.filter((code) => code === ErrorCodes.notFound)).toHaveLength(1);
    expect(await refusal(jobs.call(BatchesRpc.get, { batch_id: batch.batch_id }, ana))).toBe(
      ErrorCodes.notFound,
    );
    expect(await refusal(get(other, ana))).toBe(ErrorCodes.notFound);
    expect((await eventTypes(other)).filter((type) => type === 'JobDeleted')).toHaveLength(1);
    const batchEvents = await jobs.app.get(EventStore).readStream(`batch-${batch.batch_id}`);
    expect(batchEvents.map((event) => event.type)).toEqual(['BatchCreated', 'BatchDeleted']);
  });
});
