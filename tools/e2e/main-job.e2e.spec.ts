import { createHash } from 'node:crypto';
import type { ArtifactView, JobView, TokenPair } from '@scriptripper/contracts';
import { pollUntil } from '../dev/test-support/node-processes';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { magicLinkFor } from './test-support/mailbox';

const MEETING_VTT = `WEBVTT

00:00:01.000 --> 00:00:06.000
<v Ana>Welcome everyone. Today we need to settle the launch date for the mobile app.

00:00:06.500 --> 00:00:12.000
<v Bob>I looked at the numbers. We decided to launch on the fifteenth of March.

00:00:12.500 --> 00:00:18.000
<v Ana>Great. Bob, please send the release notes to the marketing team by Friday.

00:00:18.500 --> 00:00:24.000
<v Carla>I'll update the pricing page before the launch. Should we also translate it?

00:00:24.500 --> 00:00:30.000
<v Bob>Maybe we could translate it later. The launch matters more than anything else right now.
`;

interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

/**
 * The main job through the gateway, as a client does it, with every service (the worker too)
 * as its own process from dist/: upload a transcript, follow the job to completed, list its
 * artifacts, download each through a signed URL and check its bytes and evidence.
 */
describe('the main job through the gateway', () => {
  let stack: IdentityStack;
  let ana: TokenPair;
  let bob: TokenPair;

  async function api<T = unknown>(
    path: string,
    options: { token?: string; method?: string; body?: unknown } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${stack.gatewayUrl}/api/v1${path}`, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async function signIn(email: string): Promise<TokenPair> {
    expect((await api('/auth/magic-link', { method: 'POST', body: { email } })).status).toBe(202);
    const link = await magicLinkFor(stack.mailFolder, email);
    const verified = await api<TokenPair>(`/auth/magic-link/verify${link.search}`);
    expect(verified.status).toBe(200);
    return verified.body;
  }

  async function finished(jobId: string, token: string): Promise<JobView> {
    return pollUntil(
      `job ${jobId} to end`,
      async () => {
        const job = await api<JobView>(`/jobs/${jobId}`, { token });
        return ['completed', 'failed', 'cancelled'].includes(job.body.status) ? job.body : undefined;
      },
      90_000,
    );
  }

  beforeAll(async () => {
    stack = await startIdentityStack('main_job_e2e', { adminEmail: 'admin@main-job.test', withWorker: true });
    ana = await signIn('ana@main-job.test');
    bob = await signIn('bob@main-job.test');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('analyses a meeting transcript into verified, evidence-linked artifacts', async () => {
    const created = await api<{ job_id: string }>('/jobs', {
      token: ana.access_token,
      method: 'POST',
      body: {
        profile: 'meeting',
        transcript: MEETING_VTT,
        filename: 'launch.vtt',
        meeting_date: '2026-03-02',
      },
    });
    expect(created.status).toBe(202);

    const job = await finished(created.body.job_id, ana.access_token);
    expect(job).toMatchObject({ status: 'completed', profile_key: 'meeting', cost: 0 });
    expect(job.metrics).toMatchObject({ segments: 5, speakers: 3 });

    const listed = await api<{ items: ArtifactView[] }>(`/jobs/${job.id}/artifacts`, {
      token: ana.access_token,
    });
    expect(listed.body.items.map((artifact) => artifact.kind).sort()).toEqual([
      'results_json',
      'results_md',
      'transcript',
    ]);

    const bytesOf = new Map<string, Buffer>();
    for (const artifact of listed.body.items) {
      const signed = await api<{ url: string }>(`/artifacts/${artifact.id}`, { token: ana.access_token });
      expect(signed.status).toBe(200);
      const download = await fetch(`${stack.gatewayUrl}${signed.body.url}`);
      expect(download.status).toBe(200);
      const bytes = Buffer.from(await download.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(artifact.checksum);
      expect(bytes.length).toBe(artifact.size);
      bytesOf.set(artifact.kind, bytes);
    }

    const results = JSON.parse(bytesOf.get('results_json')?.toString('utf8') ?? '{}') as {
      decisions: { evidence: { quote: string }[] }[];
      tasks: { owner: { name: string | null }; evidence: { quote: string }[] }[];
    };
    const quotes = [...results.decisions, ...results.tasks].flatMap((item) =>
      item.evidence.map((e) => e.quote),
    );
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) expect(MEETING_VTT).toContain(quote);
    expect(results.tasks.map((task) => task.owner.name)).toEqual(expect.arrayContaining(['Bob', 'Carla']));
    expect(bytesOf.get('results_md')?.toString('utf8')).toContain('#');
  });

  it('fails a transcript that cannot be parsed, with its code, once', async () => {
    const created = await api<{ job_id: string }>('/jobs', {
      token: ana.access_token,
      method: 'POST',
      body: { profile: 'meeting', transcript: 'WEBVTT\n\nthis is not a cue\n', format: 'webvtt' },
    });
    expect(created.status).toBe(202);
    const job = await finished(created.body.job_id, ana.access_token);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ retryable: false });
    expect(job.error?.code).toMatch(/TRANSCRIPT/);
  });

  it("answers 404 for another user's job and its artifacts", async () => {
    const created = await api<{ job_id: string }>('/jobs', {
      token: ana.access_token,
      method: 'POST',
      body: { profile: 'tasks', transcript: MEETING_VTT },
    });
    expect(created.status).toBe(202);
    expect((await api(`/jobs/${created.body.job_id}`, { token: bob.access_token })).status).toBe(404);
    expect((await api(`/jobs/${created.body.job_id}/artifacts`, { token: bob.access_token })).status).toBe(
      404,
    );
    await finished(created.body.job_id, ana.access_token);
  });
});
