import Redis from 'ioredis';
import type { JobView, TokenPair } from '@scriptripper/contracts';
import { startThrowawayRedis, type ThrowawayRedis } from '@scriptripper/testing';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { GatewayClient, TERMINAL_STATUSES } from './test-support/gateway-client';
import { generatedMeeting } from './test-support/transcripts';

const ADMIN_EMAIL = 'admin@redis-loss.test';
const JOBS = 8;

/**
 * Redis loses everything (FLUSHALL on a redis-server of the test's own) while jobs are queued
 * and running: streams, consumer groups, pending work and reply streams are gone. The services
 * recreate their groups, the jobs watchdog (lowered to 5 s of no progress) re-queues work that
 * was lost, and every job still ends completed, once.
 */
describe('Redis flushed mid-run', () => {
  let redis: ThrowawayRedis;
  let stack: IdentityStack;
  let client: GatewayClient;
  let ana: TokenPair;
  let admin: TokenPair;

  beforeAll(async () => {
    redis = await startThrowawayRedis();
    stack = await startIdentityStack('redis_loss_e2e', {
      adminEmail: ADMIN_EMAIL,
      withWorker: true,
      redisUrl: redis.url,
      // Re-queued after 5 s without progress. Callers whose reply stream the flush took hear no
      // answers until their client recreates it (up to a third of its 60 s TTL), so a job may
      // stall several times before the worker hears again: give it attempts for that.
      jobs: { JOB_STALL_SECONDS: '5', JOB_SCHEDULER_INTERVAL_MS: '500', JOB_MAX_ATTEMPTS: '12' },
    });
    client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
    ana = await client.signIn('ana@redis-loss.test');
    admin = await client.signIn(ADMIN_EMAIL);
  });

  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  });

  async function flushAll(): Promise<void> {
    const connection = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await connection.connect();
    try {
      expect(await connection.flushall()).toBe('OK');
    } finally {
      connection.disconnect();
    }
  }

  it('completes every job queued or running when Redis lost everything', async () => {
    const jobIds: string[] = [];
    for (let index = 0; index < JOBS; index++) {
      jobIds.push(
        await client.submit(ana.access_token, {
          profile: 'meeting',
          transcript: generatedMeeting(30 + index * 5),
          filename: `meeting-${index}.vtt`,
        }),
      );
    }
    const beforeFlush = await Promise.all(
      jobIds.map(async (id) => (await client.job(id, ana.access_token)).body),
    );
    await flushAll();

    // Not vacuous: some jobs had not ended when their messages were lost.
    const unfinished = beforeFlush.filter((job) => !TERMINAL_STATUSES.includes(job.status));
    expect(unfinished.length).toBeGreaterThan(0);

    const ended: JobView[] = [];
    for (const id of jobIds) ended.push(await client.finished(id, ana.access_token, 120_000));
    expect(ended.map((job) => job.status)).toEqual(jobIds.map(() => 'completed'));

    // A re-queued attempt runs under the watchdog's correlation id, so count by the job's stream.
    const completions = await client.auditEntries(admin.access_token, { type: 'JobCompleted' });
    for (const id of jobIds) {
      expect(completions.filter((entry) => entry.stream_id === `job-${id}`)).toHaveLength(1);
      const artifacts = await client.artifacts(id, ana.access_token);
      expect(artifacts.map((artifact) => artifact.kind).sort()).toEqual([
        'results_json',
        'results_md',
        'transcript',
      ]);
    }
  });
});
