import { createHash, randomUUID } from 'node:crypto';
import {
  BatchesRpc,
  ErrorCodes,
  JobsRpc,
  type Actor,
  type BatchView,
  type CreateBatchResponse,
  type ExportSubject,
  type JobView,
  type MessageEnvelope,
  type Page,
  type ResolvedProfile,
} from '@scriptripper/contracts';
import { EventStore } from '@scriptripper/event-store';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { EntityManager } from '@mikro-orm/postgresql';
import Redis from 'ioredis';
import { JobService } from '../job/job.service';
import { jobStreamId } from '../job/job.events';
import {
  profilesAnswering,
  startJobsTestApp,
  startProfilesProcess,
  type JobsTestApp,
} from '../test-support/jobs-test-app';
import { batchStreamId } from './batch.events';

const scopes = ['jobs:read', 'jobs:write'];
const ana: Actor = { id: randomUUID(), role: 'user', scopes };
const ben: Actor = { id: randomUUID(), role: 'user', scopes };
const worker: Actor = { id: 'service:worker', role: 'service', scopes: [] };
const MAX_ITEMS = 4;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const blob = (text: string) => ({ uri: `blob://sha256/${sha(text)}`, sha256: sha(text), size: text.length });
const metrics = { duration_ms: 1, words: 2, segments: 1, speakers: 1, tokens: 0 };

describe('batches over rpc:jobs, with the real profiles service', () => {
  let database: TestDatabase;
  let jobs: JobsTestApp;
  let profiles: { stop(): Promise<void> };
  let redis: Redis;
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('batches');

  const items = (...names: string[]) => names.map((name) => ({ input: blob(name), filename: name }));
  const createBatch = (actor: Actor, extra: Record<string, unknown> = {}) =>
    jobs.call<CreateBatchResponse>(
      BatchesRpc.create,
      { profile: 'meeting', items: items('a.vtt', 'b.srt', 'c.txt'), request_hash: sha('batch'), ...extra },
      actor,
    );
  const getBatch = (batchId: string, actor: Actor = ana) =>
    jobs.call<BatchView>(BatchesRpc.get, { batch_id: batchId }, actor);
  const refusal = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return error as { code?: string; message?: string };
    }
    throw new Error('the call was not refused');
  };
  const jobsOf = async (owner: string) =>
    (await jobs.app.get(JobService).list({ limit: 100 }, { id: owner, role: 'user', scopes })).items;
  const workMessagesFor = async (jobIds: readonly string[]) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const entries = await redis.xrange(`${keyPrefix}work:analysis`, '-', '+');
      const found = entries
        .map(([, fields]) => JSON.parse(fields[1] ?? '{}') as MessageEnvelope<{ job_id: string }>)
        .filter((envelope) => jobIds.includes(envelope.data.job_id));
      if (found.length >= jobIds.length || Date.now() > deadline) return found;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  };
  const complete = (jobId: string) =>
    jobs.call(
      JobsRpc.markCompleted,
      { job_id: jobId, attempt: 1, metrics, cost: 0, artifact_ids: [] },
      worker,
    );
  const fail = (jobId: string) =>
    jobs.call(
      JobsRpc.markFailed,
      { job_id: jobId, attempt: 1, error: { code: 'TRANSCRIPT_EMPTY', message: 'empty', retryable: false } },
      worker,
    );

  beforeAll(async () => {
    database = await createTestDatabase('batches');
    redis = new Redis(redisUrl);
    const connection = { databaseUrl: database.url, redisUrl, keyPrefix };
    profiles = await startProfilesProcess(connection);
    jobs = await startJobsTestApp({
      ...connection,
      settings: { BATCH_MAX_ITEMS: String(MAX_ITEMS), JOB_SCHEDULER_INTERVAL_MS: '3600000' },
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

  it('creates a batch of jobs in the items order, each queued with its work message and the batch id', async () => {
    const created = await createBatch(ana, { meeting_date: '2026-11-27' });

    expect(created.job_ids).toHaveLength(3);
    const batch = await getBatch(created.batch_id);
    expect(batch).toMatchObject({
      id: created.batch_id,
      user_id: ana.id,
      profile_key: 'meeting',
      status: 'running',
      counts: { total: 3, queued: 3, running: 0, completed: 0, failed: 0, cancelled: 0 },
    });
    expect(batch.items).toEqual([
      { job_id: created.job_ids[0], filename: 'a.vtt', status: 'queued' },
      { job_id: created.job_ids[1], filename: 'b.srt', status: 'queued' },
      { job_id: created.job_ids[2], filename: 'c.txt', status: 'queued' },
    ]);
    for (const jobId of created.job_ids) {
      const job = await jobs.call<JobView>(JobsRpc.get, { job_id: jobId }, ana);
      expect(job).toMatchObject({ batch_id: created.batch_id, meeting_date: '2026-11-27' });
      expect(job.profile_version).toBe(batch.profile_version);
    }
    const work = await workMessagesFor(created.job_ids);
    expect(work.map((envelope) => envelope.data.job_id).sort()).toEqual([...created.job_ids].sort());
    const stream = await jobs.app.get(EventStore).readStream(batchStreamId(created.batch_id));
    expect(stream.map((event) => [event.type, event.data])).toEqual([
      ['BatchCreated', expect.objectContaining({ job_ids: created.job_ids, user_id: ana.id })],
    ]);
  });

  it('derives the batch status from its jobs: partially failed, then listed newest first', async () => {
    const created = await createBatch(ana, { request_hash: sha('mixed') });
    const [first, second, third] = created.job_ids as [string, string, string];
    await complete(first);
    expect((await getBatch(created.batch_id)).status).toBe('running');
    await fail(second);
    await jobs.call(JobsRpc.cancel, { job_id: third }, ana);

    const batch = await getBatch(created.batch_id);
    expect(batch.status).toBe('partially_failed');
    expect(batch.counts).toEqual({ total: 3, queued: 0, running: 0, completed: 1, failed: 1, cancelled: 1 });
    const page = await jobs.call<Page<BatchView>>(BatchesRpc.list, { limit: 1 }, ana);
    expect(page.items.map((item) => item.id)).toEqual([created.batch_id]);
    expect(page.next_cursor).not.toBeNull();
    const rest = await jobs.call<Page<BatchView>>(BatchesRpc.list, { cursor: page.next_cursor }, ana);
    expect(rest.items.map((item) => item.id)).not.toContain(created.batch_id);
  });

  it('says what an export covers: a completed job, or the completed jobs of a batch', async () => {
    const created = await createBatch(ana, { request_hash: sha('export') });
    const [first, second] = created.job_ids as [string, string, string];

    expect((await refusal(jobs.call(BatchesRpc.exportSubject, { id: first }, ana))).code).toBe(
      ErrorCodes.conflict,
    );
    expect((await refusal(jobs.call(BatchesRpc.exportSubject, { id: created.batch_id }, ana))).code).toBe(
      ErrorCodes.conflict,
    );
    await complete(second);
    await complete(first);
    expect(await jobs.call<ExportSubject>(BatchesRpc.exportSubject, { id: created.batch_id }, ana)).toEqual({
      subject_type: 'batch',
      subject_id: created.batch_id,
      job_ids: [first, second],
    });
    expect(await jobs.call<ExportSubject>(BatchesRpc.exportSubject, { id: first }, ana)).toEqual({
      subject_type: 'job',
      subject_id: first,
      job_ids: [first],
    });
    for (const id of [first, created.batch_id, randomUUID()]) {
      expect((await refusal(jobs.call(BatchesRpc.exportSubject, { id }, ben))).code).toBe(
        ErrorCodes.notFound,
      );
    }
  });

  it("answers NOT_FOUND for another user's batch and lists only the caller's own", async () => {
    const created = await createBatch(ana, { request_hash: sha('private') });

    expect((await refusal(getBatch(created.batch_id, ben))).code).toBe(ErrorCodes.notFound);
    expect((await jobs.call<Page<BatchView>>(BatchesRpc.list, {}, ben)).items).toEqual([]);
  });

  it('refuses an empty batch, too many items, and a bad item by its index, creating nothing', async () => {
    const before = (await jobsOf(ben.id)).length;

    const empty = await refusal(createBatch(ben, { items: [] }));
    expect(empty).toMatchObject({ code: ErrorCodes.validationFailed });
    const tooMany = await refusal(createBatch(ben, { items: items('1', '2', '3', '4', '5') }));
    expect(tooMany).toMatchObject({ code: ErrorCodes.validationFailed });
    expect(tooMany.message).toContain(`at most ${MAX_ITEMS}`);
    const badItem = await refusal(
      createBatch(ben, { items: [...items('ok.vtt'), { input: blob('x'), format: 'docx' }] }),
    );
    expect(badItem).toMatchObject({ code: ErrorCodes.validationFailed });
    expect(badItem.message).toContain('items[1].format');
    const noProfile = await refusal(createBatch(ben, { profile: 'no-such-profile' }));
    expect(noProfile.code).toBe(ErrorCodes.notFound);

    expect(await jobsOf(ben.id)).toHaveLength(before);
  });

  it('creates all of a batch or nothing: a failure after its jobs were appended leaves none of them', async () => {
    const owner: Actor = { id: randomUUID(), role: 'user', scopes };
    const service = jobs.app.get(JobService);
    const context = { actor: owner, correlationId: randomUUID(), causationId: null, traceparent: null };
    const profile: ResolvedProfile = await service.pinProfile('meeting', undefined, context);
    const jobIds = [randomUUID(), randomUUID()];

    await expect(
      service.createJobs(
        jobIds.map((jobId) => ({
          jobId,
          input: blob(jobId),
          format: null,
          filename: null,
          meetingDate: null,
          batchId: null,
        })),
        owner,
        profile,
        context,
        async () => {
          throw new Error('the batch could not be written');
        },
      ),
    ).rejects.toThrow('the batch could not be written');

    expect(await jobsOf(owner.id)).toEqual([]);
    for (const jobId of jobIds) {
      expect(await jobs.app.get(EventStore).readStream(jobStreamId(jobId))).toEqual([]);
    }
    const outbox = await jobs.app
      .get(EntityManager)
      .getConnection()
      .execute<{ count: string }[]>(
        `select count(*) from "jobs"."outbox" where envelope->'data'->>'job_id' in (?)`,
        [jobIds],
      );
    expect(outbox[0]?.count).toBe('0');
  });

  it('answers the same batch for the same Idempotency-Key and request, CONFLICT for another request', async () => {
    const first = await createBatch(ana, { idempotency_key: 'batch-1', request_hash: sha('idem') });
    const again = await createBatch(ana, { idempotency_key: 'batch-1', request_hash: sha('idem') });

    expect(again).toEqual({ ...first, replayed: true });
    expect(first.replayed).toBe(false);
    const other = await refusal(createBatch(ana, { idempotency_key: 'batch-1', request_hash: sha('other') }));
    expect(other.code).toBe(ErrorCodes.conflict);
  });
});
