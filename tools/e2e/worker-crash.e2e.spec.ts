import type { AuditEntry, JobView, TokenPair } from '@scriptripper/contracts';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { evidenceQuotesOf, GatewayClient, TERMINAL_STATUSES } from './test-support/gateway-client';
import { generatedMeeting } from './test-support/transcripts';

const ADMIN_EMAIL = 'admin@worker-crash.test';
/** Meeting lengths to try, longer each time the kill came too late to land mid-job. */
const MEETING_MINUTES = [60, 240, 480];

/** What the test saw of one attempt to kill the worker while it runs a job. */
interface KillAttempt {
  readonly minutes: number;
  readonly jobId: string;
  readonly source: string;
  /** The job's status and artifact count once the killed worker had exited. */
  readonly statusAtKill: JobView['status'];
  readonly artifactsAtKill: number;
}

/**
 * The worker dies (SIGKILL) while it analyses a job; a new worker takes the job's work message
 * over once it has been idle for the worker's claim time (STREAMS_CLAIM_IDLE_MS, lowered here;
 * the jobs watchdog keeps its default, so the transport's redelivery alone must finish the job).
 */
describe('a worker killed mid-job', () => {
  let stack: IdentityStack;
  let client: GatewayClient;
  let ana: TokenPair;
  let admin: TokenPair;

  beforeAll(async () => {
    stack = await startIdentityStack('worker_crash_e2e', {
      adminEmail: ADMIN_EMAIL,
      withWorker: true,
      worker: { STREAMS_CLAIM_IDLE_MS: '3000' },
    });
    client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
    ana = await client.signIn('ana@worker-crash.test');
    admin = await client.signIn(ADMIN_EMAIL);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Submits a meeting, kills the worker as soon as the job runs, starts a new worker. */
  async function killWorkerDuring(minutes: number): Promise<KillAttempt> {
    const source = generatedMeeting(minutes);
    const jobId = await client.submit(ana.access_token, {
      profile: 'meeting',
      transcript: source,
      filename: `meeting-${minutes}min.vtt`,
    });
    // A tight poll: the kill should land as early in the run as possible.
    const deadline = Date.now() + 60_000;
    while ((await client.job(jobId, ana.access_token)).body.status === 'queued') {
      if (Date.now() > deadline) throw new Error(`job ${jobId} never left queued`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stack.kill('worker', 'SIGKILL');
    const statusAtKill = (await client.job(jobId, ana.access_token)).body.status;
    const artifactsAtKill = (await client.artifacts(jobId, ana.access_token)).length;
    await stack.start('worker');
    return { minutes, jobId, source, statusAtKill, artifactsAtKill };
  }

  /** The job's events of one type (whatever their correlation), as the admin sees them in the audit. */
  async function eventsOf(attempt: KillAttempt, type: string): Promise<AuditEntry[]> {
    const entries = await client.auditEntries(admin.access_token, { type });
    return entries.filter((entry) => entry.stream_id === `job-${attempt.jobId}`);
  }

  it('completes the job exactly once, with its three artifacts, on a new worker', async () => {
    const tooLate: string[] = [];
    for (const minutes of MEETING_MINUTES) {
      const attempt = await killWorkerDuring(minutes);
      const job = await client.finished(attempt.jobId, ana.access_token, 120_000);

      // Whenever the kill landed, the job ends completed once with one artifact per kind.
      expect(job.status).toBe('completed');
      expect(await eventsOf(attempt, 'JobCompleted')).toHaveLength(1);
      const downloaded = await client.download(attempt.jobId, ana.access_token);
      expect([...downloaded.keys()].sort()).toEqual(['results_json', 'results_md', 'transcript']);
      for (const { artifact, bytes, sha256 } of downloaded.values()) {
        expect(sha256).toBe(artifact.checksum);
        expect(bytes.length).toBe(artifact.size);
      }

      const midJob = attempt.statusAtKill === 'running' && attempt.artifactsAtKill === 0;
      if (!midJob) {
        // Honest about it: the first worker got further than the kill; try a longer meeting.
        expect(TERMINAL_STATUSES.includes(attempt.statusAtKill) || attempt.artifactsAtKill > 0).toBe(true);
        tooLate.push(`${minutes} min: ${attempt.statusAtKill} with ${attempt.artifactsAtKill} artifacts`);
        continue;
      }

      // The dead worker had registered nothing: the new one did the whole job, once.
      expect(job.metrics).toMatchObject({ segments: minutes * 10, speakers: 5 });
      expect((await eventsOf(attempt, 'JobStarted')).length).toBeGreaterThanOrEqual(1);
      expect(await eventsOf(attempt, 'JobFailed')).toHaveLength(0);
      const results = JSON.parse(downloaded.get('results_json')?.bytes.toString('utf8') ?? '{}') as unknown;
      const quotes = evidenceQuotesOf(results);
      expect(quotes.length).toBeGreaterThan(0);
      for (const quote of quotes) expect(attempt.source).toContain(quote);
      return;
    }
    throw new Error(`the kill never landed while the job ran: ${tooLate.join('; ')}`);
  });
});
