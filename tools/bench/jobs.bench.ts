/**
 * The main job end to end, as clients see it: every service and the worker as its own process
 * from the build (tools/e2e's stack), N small meeting transcripts submitted through the gateway
 * with bounded concurrency, counted as completed from the gateway's job listing. Next to it the
 * HTTP floor: the same submit loop against the gateway's GET /health/live.
 */
import type { JobView } from '@scriptripper/contracts';
import { startIdentityStack, type IdentityStack } from '../e2e/test-support/identity-stack';
import { smallMeeting } from './analyzer.bench';
import { bestOfInterleaved, latencyOf, measureThroughput, type Latency, type Throughput } from './measure';

export interface JobFigures {
  /** Completed jobs per second, from the first submit to the last completion. */
  readonly completed: Throughput;
  /** From the client's submit to the job's completed_at. */
  readonly latency: Latency;
  /** How fast the gateway answered 202 to the submits of the same round. */
  readonly accepted: Throughput;
  /** GET /health/live with the same loop and concurrency: what HTTP alone costs. */
  readonly floor: Throughput;
  readonly floorLatency: Latency;
  readonly concurrency: number;
}

const POLL_MS = 200;
const DEADLINE_MS = 600_000;

/** Starts the stack, warms it up, then measures `rounds` rounds of `jobs` jobs against the floor. */
export async function jobFigures(options: {
  jobs: number;
  concurrency: number;
  rounds: number;
}): Promise<JobFigures> {
  let stack: IdentityStack | undefined;
  try {
    stack = await startIdentityStack('bench_jobs', {
      adminEmail: 'admin@bench.test',
      withWorker: true,
      // The default per-user limit (600 a minute) is for people; this client is a load generator.
      gateway: { RATE_LIMIT_USER: '100000000', RATE_LIMIT_PUBLIC: '100000000' },
    });
    const { token } = (await stack.runAuthOperation('apps/auth/src/issue-admin-token.js')) as {
      token: string;
    };
    const client = new JobsClient(stack.gatewayUrl, token);
    await client.runJobs(Math.min(20, options.jobs), options.concurrency, 'warm-up');

    const rounds = new Map<Throughput, JobRun>();
    const measured = (run: JobRun) => {
      rounds.set(run.throughput, run);
      return run.throughput;
    };
    const best = await bestOfInterleaved(options.rounds, {
      floor: async () => measured(await client.runHealthChecks(options.jobs, options.concurrency)),
      completed: async () => measured(await client.runJobs(options.jobs, options.concurrency, 'measured')),
    });
    const roundOf = (throughput: Throughput) => {
      const round = rounds.get(throughput);
      if (!round) throw new Error(`no round measured ${throughput.label}`);
      return round;
    };
    const jobs = roundOf(best.completed);
    if (!jobs.accepted) throw new Error('the jobs round has no submit figure');
    return {
      completed: best.completed,
      latency: jobs.latency,
      accepted: jobs.accepted,
      floor: best.floor,
      floorLatency: roundOf(best.floor).latency,
      concurrency: options.concurrency,
    };
  } finally {
    await stack?.stop();
  }
}

interface JobRun {
  readonly throughput: Throughput;
  readonly latency: Latency;
  readonly accepted?: Throughput;
}

class JobsClient {
  private submitted = 0;

  constructor(
    private readonly gatewayUrl: string,
    private readonly token: string,
  ) {}

  async runJobs(count: number, concurrency: number, what: string): Promise<JobRun> {
    const submittedAt = new Map<string, number>();
    const accepted = await measureThroughput('POST /api/v1/jobs answered 202', count, () =>
      bounded(count, concurrency, async () => {
        const seed = ++this.submitted;
        const started = Date.now();
        const response = await this.request('POST', '/api/v1/jobs', {
          profile: 'meeting',
          transcript: smallMeeting(seed),
          filename: `bench-${seed}.vtt`,
          meeting_date: '2026-03-02',
        });
        if (response.status !== 202)
          throw new Error(`POST /jobs answered ${response.status}: ${await response.text()}`);
        const { job_id } = (await response.json()) as { job_id: string };
        submittedAt.set(job_id, started);
      }),
    );
    const ended = await this.waitUntilEnded(new Set(submittedAt.keys()), what);
    const failed = ended.filter((job) => job.status !== 'completed');
    if (failed.length > 0)
      throw new Error(`${failed.length} ${what} jobs did not complete: ${JSON.stringify(failed[0])}`);
    const first = Math.min(...submittedAt.values());
    const completedAt = ended.map((job) => Date.parse(job.completed_at ?? ''));
    const seconds = (Math.max(...completedAt) - first) / 1_000;
    return {
      throughput: {
        label: 'jobs: POST /api/v1/jobs -> worker -> completed',
        count,
        seconds,
        perSecond: count / seconds,
      },
      latency: latencyOf(
        'job: submit -> completed',
        ended.map((job) => Date.parse(job.completed_at ?? '') - (submittedAt.get(job.id) ?? 0)),
      ),
      accepted,
    };
  }

  async runHealthChecks(count: number, concurrency: number): Promise<JobRun> {
    const samples: number[] = [];
    const throughput = await measureThroughput('HTTP floor: GET /health/live, same loop', count, () =>
      bounded(count, concurrency, async () => {
        const started = process.hrtime.bigint();
        const response = await fetch(`${this.gatewayUrl}/health/live`);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`GET /health/live answered ${response.status}`);
        samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      }),
    );
    return { throughput, latency: latencyOf('HTTP floor: GET /health/live', samples) };
  }

  /**
   * Follows jobs through the listing, a few pages per poll, rather than one GET per job: at
   * hundreds of jobs, per-job polling would be most of the load being measured.
   */
  private async waitUntilEnded(ids: ReadonlySet<string>, what: string): Promise<JobView[]> {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const ended = [...(await this.listAll('completed')), ...(await this.listAll('failed'))].filter((job) =>
        ids.has(job.id),
      );
      if (ended.length >= ids.size) return ended;
      if (Date.now() > deadline)
        throw new Error(`${what}: ${ended.length} of ${ids.size} jobs ended in time`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async listAll(status: 'completed' | 'failed'): Promise<JobView[]> {
    const jobs: JobView[] = [];
    let cursor: string | null = null;
    do {
      const query = `status=${status}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await this.request('GET', `/api/v1/jobs?${query}`);
      if (response.status !== 200)
        throw new Error(`GET /jobs answered ${response.status}: ${await response.text()}`);
      const page = (await response.json()) as { items: JobView[]; next_cursor: string | null };
      jobs.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return jobs;
  }

  private request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
}

/** Runs `count` tasks with at most `concurrency` at a time. */
async function bounded(count: number, concurrency: number, task: () => Promise<void>): Promise<void> {
  let started = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (started < count) {
        started++;
        await task();
      }
    }),
  );
}
