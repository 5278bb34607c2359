import { createHash, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import {
  ANSWER_PROMPT,
  ARTIFACT_EVENTS_STREAM,
  ArtifactEvents,
  JobsRpc,
  LifecycleRpc,
  PromptsRpc,
  type Actor,
  type AnswerPromptWork,
  type ArtifactExpiredEvent,
  type CreateJobResponse,
  type CreatePromptResponse,
  type MessageEnvelope,
  type Page,
  type PromptView,
} from '@scriptripper/contracts';
import { EventStore } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
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
import { promptStreamId } from './prompt.events';

const scopes = ['jobs:read', 'jobs:write'];
const ana: Actor = { id: randomUUID(), role: 'user', scopes };
const ben: Actor = { id: randomUUID(), role: 'user', scopes };
const worker: Actor = { id: 'service:worker', role: 'service', scopes: [] };
const QUESTION = 'What did we decide about the launch date?';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const blob = (text: string) => ({ uri: `blob://sha256/${sha(text)}`, sha256: sha(text), size: text.length });
const metrics = { duration_ms: 90_000, words: 240, segments: 12, speakers: 3, tokens: 0 };

describe('custom prompts over rpc:jobs', () => {
  let database: TestDatabase;
  let jobs: JobsTestApp;
  let profiles: { stop(): Promise<void> };
  let redis: Redis;
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('prompts');

  const refusal = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return (error as { code?: string }).code;
    }
    throw new Error('the call was not refused');
  };
  const createJob = async (owner: Actor) =>
    (
      await jobs.call<CreateJobResponse>(
        JobsRpc.create,
        { profile: 'meeting', input: blob(`WEBVTT ${randomUUID()}`), request_hash: sha(randomUUID()) },
        owner,
      )
    ).job_id;
  const completedJob = async (owner: Actor) => {
    const jobId = await createJob(owner);
    await jobs.call(JobsRpc.markStarted, { job_id: jobId, attempt: 1 }, worker);
    await jobs.call(
      JobsRpc.markCompleted,
      { job_id: jobId, attempt: 1, metrics, cost: 0, artifact_ids: [] },
      worker,
    );
    return jobId;
  };
  const ask = (jobId: string, prompt = QUESTION, actor: Actor = ana) =>
    jobs.call<CreatePromptResponse>(PromptsRpc.create, { job_id: jobId, prompt }, actor);
  const workFor = async (promptId: string) => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const entries = await redis.xrange(`${keyPrefix}work:analysis`, '-', '+');
      const found = entries
        .map(([, fields]) => JSON.parse(fields[1] ?? '{}') as MessageEnvelope<AnswerPromptWork>)
        .find((envelope) => envelope.type === ANSWER_PROMPT && envelope.data.prompt_id === promptId);
      if (found) return found;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    throw new Error(`no AnswerPrompt work message for prompt ${promptId}`);
  };

  beforeAll(async () => {
    database = await createTestDatabase('prompts');
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

  it('migrates to exactly the schema the entities describe', () => {
    expect(jobs.driftAfterMigrations).toBe('');
  });

  it('records a prompt on a completed job as pending, sealed in its event, and sends its work without the text', async () => {
    const jobId = await completedJob(ana);
    const { prompt_id: promptId } = await ask(jobId);

    const view = await jobs.call<PromptView>(PromptsRpc.get, { prompt_id: promptId }, ana);
    expect(view).toMatchObject({
      id: promptId,
      job_id: jobId,
      prompt: QUESTION,
      status: 'pending',
      result_artifact_id: null,
      answered_at: null,
      error: null,
    });

    const [requested] = await jobs.app.get(EventStore).readStream(promptStreamId(promptId));
    expect(requested?.type).toBe('PromptRequested');
    const sealed = (requested?.data as { prompt: string }).prompt;
    expect(sealed.startsWith('pd1:')).toBe(true);
    expect(JSON.stringify(requested?.data)).not.toContain('launch date');

    const work = await workFor(promptId);
    expect(work.data).toEqual({ prompt_id: promptId, job_id: jobId, user_id: ana.id });
    expect(work.actor.id).toBe(ana.id);
    expect(JSON.stringify(work)).not.toContain('launch date');
    // The worker reads the question it answers.
    expect((await jobs.call<PromptView>(PromptsRpc.get, { prompt_id: promptId }, worker)).prompt).toBe(
      QUESTION,
    );
  });

  it('takes the worker’s answer once; the same answer again changes nothing, a failure after it is a CONFLICT', async () => {
    const jobId = await completedJob(ana);
    const { prompt_id: promptId } = await ask(jobId);
    const answered = {
      prompt_id: promptId,
      result_artifact_id: randomUUID(),
      json_artifact_id: randomUUID(),
      provider: 'offline',
      tokens: 0,
      cost: 0,
    };
    const view = await jobs.call<PromptView>(PromptsRpc.answered, answered, worker);
    expect(view).toMatchObject({
      status: 'answered',
      result_artifact_id: answered.result_artifact_id,
      json_artifact_id: answered.json_artifact_id,
      provider: 'offline',
    });
    expect(view.answered_at).not.toBeNull();
    await jobs.call(PromptsRpc.answered, answered, worker);
    const failure = { code: 'X', message: 'late', retryable: false };
    expect(await refusal(jobs.call(PromptsRpc.failed, { prompt_id: promptId, error: failure }, worker))).toBe(
      'CONFLICT',
    );
    expect(await jobs.app.get(EventStore).readStream(promptStreamId(promptId))).toHaveLength(2);
    // Only the worker reports.
    expect(await refusal(jobs.call(PromptsRpc.answered, answered, ana))).toBe('FORBIDDEN');
  });

  it('keeps a failure with its error', async () => {
    const jobId = await completedJob(ana);
    const { prompt_id: promptId } = await ask(jobId);
    const error = { code: 'TRANSCRIPT_MISSING', message: 'no transcript artifact', retryable: false };
    const view = await jobs.call<PromptView>(PromptsRpc.failed, { prompt_id: promptId, error }, worker);
    expect(view).toMatchObject({ status: 'failed', error });
  });

  it('refuses a job that is not completed (CONFLICT), another user’s job (NOT_FOUND), and bad prompts', async () => {
    const queued = await createJob(ana);
    expect(await refusal(ask(queued))).toBe('CONFLICT');
    const anas = await completedJob(ana);
    expect(await refusal(ask(anas, QUESTION, ben))).toBe('NOT_FOUND');
    expect(await refusal(ask(randomUUID()))).toBe('NOT_FOUND');
    expect(await refusal(ask(anas, '   '))).toBe('VALIDATION_FAILED');
    expect(await refusal(ask(anas, 'x'.repeat(4_001)))).toBe('VALIDATION_FAILED');
    expect(await refusal(ask('not-a-uuid'))).toBe('VALIDATION_FAILED');
    expect(await refusal(ask(anas, QUESTION, { ...ana, scopes: ['jobs:read'] }))).toBe('FORBIDDEN');
    // Nothing was recorded by the refusals.
    const listed = await jobs.call<Page<PromptView>>(PromptsRpc.listForJob, { job_id: anas }, ana);
    expect(listed.items).toEqual([]);
  });

  it('lists a job’s prompts in the order asked, with their status, by cursor, to its owner only', async () => {
    const jobId = await completedJob(ana);
    const ids: string[] = [];
    for (const question of ['first question about budget', 'second about hiring', 'third about launch']) {
      ids.push((await ask(jobId, question)).prompt_id);
    }
    const error = { code: 'X', message: 'failed', retryable: false };
    await jobs.call(PromptsRpc.failed, { prompt_id: ids[1], error }, worker);
    const first = await jobs.call<Page<PromptView>>(PromptsRpc.listForJob, { job_id: jobId, limit: 2 }, ana);
    expect(first.items.map((item) => [item.id, item.status])).toEqual([
      [ids[0], 'pending'],
      [ids[1], 'failed'],
    ]);
    const second = await jobs.call<Page<PromptView>>(
      PromptsRpc.listForJob,
      { job_id: jobId, limit: 2, cursor: first.next_cursor },
      ana,
    );
    expect(second.items.map((item) => item.id)).toEqual([ids[2]]);
    expect(second.next_cursor).toBeNull();
    expect(await refusal(jobs.call(PromptsRpc.listForJob, { job_id: jobId }, ben))).toBe('NOT_FOUND');
    expect(await refusal(jobs.call(PromptsRpc.get, { prompt_id: ids[0] }, ben))).toBe('NOT_FOUND');
  });

  it('answers the same prompt for the same Idempotency-Key and request, CONFLICT for another request', async () => {
    const jobId = await completedJob(ana);
    const keyed = (prompt: string, actor: Actor = ana) =>
      jobs.call<CreatePromptResponse>(
        PromptsRpc.create,
        { job_id: jobId, prompt, idempotency_key: 'ask-1', request_hash: sha(prompt) },
        actor,
      );
    const [first, second] = await Promise.all([keyed(QUESTION), keyed(QUESTION)]);
    expect(second?.prompt_id).toBe(first?.prompt_id);
    expect((await keyed(QUESTION)).prompt_id).toBe(first?.prompt_id);
    expect(await refusal(keyed('Another question?'))).toBe('CONFLICT');
    const listed = await jobs.call<Page<PromptView>>(PromptsRpc.listForJob, { job_id: jobId }, ana);
    expect(listed.items.map((item) => item.id)).toEqual([first?.prompt_id]);
    // Keys are per user: Ben's same key is his own (and his ask on Ana's job is NOT_FOUND).
    expect(await refusal(keyed(QUESTION, ben))).toBe('NOT_FOUND');
    expect(
      await refusal(
        jobs.call(PromptsRpc.create, { job_id: jobId, prompt: QUESTION, idempotency_key: 'k' }, ana),
      ),
    ).toBe('VALIDATION_FAILED');
  });

  it('seals the text under the job’s key, so deleting the job shreds it in the log', async () => {
    const jobId = await completedJob(ana);
    const { prompt_id: promptId } = await ask(jobId);
    const sealedText = async () => {
      const [requested] = await jobs.app.get(EventStore).readStream(promptStreamId(promptId));
      return (requested?.data as { prompt: string }).prompt;
    };
    const cipher = jobs.app.get(PersonalDataCipher);
    expect(await cipher.decrypt(jobId, await sealedText())).toBe(QUESTION);
    await jobs.call(LifecycleRpc.deleteJob, { job_id: jobId }, ana);
    expect(await cipher.decrypt(jobId, await sealedText())).toBeNull();
    expect(await refusal(jobs.call(PromptsRpc.get, { prompt_id: promptId }, ana))).toBe('NOT_FOUND');
  });

  it('answers GONE once the job’s transcript expired (ArtifactExpired from events:artifacts)', async () => {
    const jobId = await completedJob(ana);
    const expired: MessageEnvelope<ArtifactExpiredEvent> = {
      id: randomUUID(),
      type: ArtifactEvents.expired,
      correlationId: randomUUID(),
      causationId: null,
      actor: { id: 'service:artifacts', role: 'service', scopes: [] },
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      traceparent: null,
      data: {
        artifact_id: randomUUID(),
        job_id: jobId,
        user_id: ana.id,
        kind: 'transcript',
        retention: 'transcript',
        at: new Date().toISOString(),
      },
    };
    await redis.xadd(`${keyPrefix}${ARTIFACT_EVENTS_STREAM}`, '*', 'envelope', JSON.stringify(expired));
    const deadline = Date.now() + 30_000;
    let code: string | undefined;
    while (Date.now() < deadline) {
      code = await refusal(ask(jobId)).catch(() => undefined);
      if (code === 'GONE') break;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    expect(code).toBe('GONE');
  });
});
