import {
  meetingProfile,
  type ArtifactView,
  type JobView,
  type PromptView,
  type ResultsChanges,
  type TokenPair,
} from '@scriptripper/contracts';
import { pollUntil } from '../dev/test-support/node-processes';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { evidenceQuotesOf, GatewayClient } from './test-support/gateway-client';

const LAUNCH_VTT = `WEBVTT

00:00:01.000 --> 00:00:06.000
<v Ana>Welcome everyone. Today we need to settle the launch date for the mobile app.

00:00:06.500 --> 00:00:12.000
<v Bob>I looked at the numbers. We decided to launch on the fifteenth of March.

00:00:12.500 --> 00:00:18.000
<v Ana>Great. Bob, please send the release notes to the marketing team by Friday.

00:00:18.500 --> 00:00:24.000
<v Carla>I'll update the pricing page before the launch. Should we also translate it?

00:00:24.500 --> 00:00:30.000
<v Bob>Maybe we could translate it later. The budget for translation is not approved yet.
`;

interface AnswerDocument {
  readonly prompt: string;
  readonly answer_markdown: string;
  readonly citations: readonly { quote: string; speaker: string; start_ms: number }[];
  readonly provider: string;
}

/**
 * Custom prompts, re-runs with their changes, and relabelled speakers through the gateway, with
 * every service (the worker too) as its own process from the build.
 */
describe('prompts, re-runs and relabelling through the gateway', () => {
  let stack: IdentityStack;
  let client: GatewayClient;
  let ana: TokenPair;
  let bob: TokenPair;
  let launchJob: string;

  /** The bytes behind an artifact id, through its signed URL. */
  async function downloaded(artifactId: string, token: string): Promise<Buffer> {
    const signed = await client.api<{ url: string }>(`/artifacts/${artifactId}`, { token });
    expect(signed.status).toBe(200);
    const response = await fetch(`${stack.gatewayUrl}${signed.body.url}`);
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  function answered(promptId: string, token: string): Promise<PromptView> {
    return pollUntil(
      `prompt ${promptId} to be answered`,
      async () => {
        const prompt = await client.api<PromptView>(`/prompts/${promptId}`, { token });
        expect(prompt.status).toBe(200);
        return prompt.body.status === 'pending' ? undefined : prompt.body;
      },
      60_000,
    );
  }

  beforeAll(async () => {
    stack = await startIdentityStack('prompts_e2e', { adminEmail: 'admin@prompts.test', withWorker: true });
    client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
    ana = await client.signIn('ana@prompts.test');
    bob = await client.signIn('bob@prompts.test');
    launchJob = await client.submit(ana.access_token, {
      profile: 'meeting',
      transcript: LAUNCH_VTT,
      filename: 'launch.vtt',
      meeting_date: '2026-03-02',
    });
    await ended(launchJob, 'completed');
  }, 240_000);

  /** Waits for the job to end with `status`; otherwise fails with what the services said. */
  async function ended(jobId: string, status: string): Promise<void> {
    const job = await client.finished(jobId, ana.access_token).catch((error: unknown) => ({
      status: `not ended: ${String(error)}`,
      error: null,
    }));
    if (job.status !== status) {
      const said = ['jobs', 'worker', 'artifacts'].map(
        (service) => `${service}:\n${stack.output(service).slice(-30).join('\n')}`,
      );
      throw new Error(
        `job ${jobId} is ${job.status} (${JSON.stringify(job.error)}), not ${status}\n${said.join('\n')}`,
      );
    }
  }

  afterAll(async () => {
    await stack?.stop();
  });

  describe('custom prompts', () => {
    it('answers offline with passages quoted verbatim from the transcript, with speaker and timestamp', async () => {
      const asked = await client.api<{ prompt_id: string }>('/prompts', {
        token: ana.access_token,
        method: 'POST',
        body: { job_id: launchJob, prompt: 'When is the launch date?' },
      });
      expect(asked.status).toBe(202);
      const prompt = await answered(asked.body.prompt_id, ana.access_token);
      expect(prompt).toMatchObject({
        job_id: launchJob,
        prompt: 'When is the launch date?',
        status: 'answered',
        provider: 'offline',
        cost: 0,
        error: null,
      });

      const json = JSON.parse(
        (await downloaded(prompt.json_artifact_id ?? '', ana.access_token)).toString('utf8'),
      ) as AnswerDocument;
      expect(json.citations.length).toBeGreaterThan(0);
      for (const citation of json.citations) expect(LAUNCH_VTT).toContain(citation.quote);
      expect(json.citations).toContainEqual({
        quote: 'I looked at the numbers. We decided to launch on the fifteenth of March.',
        speaker: 'Bob',
        start_ms: 6_500,
      });

      const markdown = (await downloaded(prompt.result_artifact_id ?? '', ana.access_token)).toString('utf8');
      expect(markdown).toContain('> When is the launch date?');
      expect(markdown).toContain(
        '> **Bob** [00:00:06]: I looked at the numbers. We decided to launch on the fifteenth of March.',
      );

      // The answer is attached to the job as its artifacts.
      const kinds = (await client.artifacts(launchJob, ana.access_token)).map(
        (artifact: ArtifactView) => artifact.kind,
      );
      expect(kinds).toEqual(expect.arrayContaining([`prompt:${prompt.id}`, `prompt:${prompt.id}_json`]));
    });

    it('lists a job’s prompts with their status', async () => {
      const asked = await client.api<{ prompt_id: string }>('/prompts', {
        token: ana.access_token,
        method: 'POST',
        body: { job_id: launchJob, prompt: 'Who sends the release notes?' },
      });
      expect(asked.status).toBe(202);
      await answered(asked.body.prompt_id, ana.access_token);
      // With an Idempotency-Key, asking again answers the same prompt; another question under it, 409.
      const keyed = (prompt: string) =>
        fetch(`${stack.gatewayUrl}/api/v1/prompts`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${ana.access_token}`,
            'content-type': 'application/json',
            'idempotency-key': 'notes-question',
          },
          body: JSON.stringify({ job_id: launchJob, prompt }),
        });
      const first = await keyed('Who sends the notes?');
      const again = await keyed('Who sends the notes?');
      expect([first.status, again.status]).toEqual([202, 202]);
      expect(((await again.json()) as { prompt_id: string }).prompt_id).toBe(
        ((await first.json()) as { prompt_id: string }).prompt_id,
      );
      expect((await keyed('Something else?')).status).toBe(409);
      const listed = await client.api<{ items: PromptView[]; next_cursor: string | null }>(
        `/jobs/${launchJob}/prompts`,
        { token: ana.access_token },
      );
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((item) => [item.prompt, item.status])).toEqual(
        expect.arrayContaining([['Who sends the release notes?', 'answered']]),
      );
      expect(listed.body.items.every((item) => item.job_id === launchJob)).toBe(true);
    });

    it('answers 409 for a job that is not completed, 404 for another user’s job, 400 for a bad prompt', async () => {
      const failing = await client.submit(ana.access_token, {
        profile: 'meeting',
        transcript: 'this is not a WebVTT file',
        format: 'webvtt',
      });
      await ended(failing, 'failed');
      const onFailed = await client.api<{ error: { code: string } }>('/prompts', {
        token: ana.access_token,
        method: 'POST',
        body: { job_id: failing, prompt: 'Anything?' },
      });
      expect(onFailed.status).toBe(409);
      expect(onFailed.body.error.code).toBe('CONFLICT');

      const bobs = await client.api('/prompts', {
        token: bob.access_token,
        method: 'POST',
        body: { job_id: launchJob, prompt: 'What was decided?' },
      });
      expect(bobs.status).toBe(404);
      expect((await client.api(`/jobs/${launchJob}/prompts`, { token: bob.access_token })).status).toBe(404);

      for (const body of [
        { job_id: launchJob, prompt: '' },
        { job_id: launchJob, prompt: 'x'.repeat(4_001) },
        { job_id: 'nope', prompt: 'Anything?' },
        { prompt: 'Anything?' },
      ]) {
        const refused = await client.api<{ error: { code: string } }>('/prompts', {
          token: ana.access_token,
          method: 'POST',
          body,
        });
        expect(refused.status).toBe(400);
        expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      }
    });
  });
  describe('re-runs', () => {
    it('re-runs a job under another version of its profile, and tells what changed', async () => {
      const admin = await client.signIn('admin@prompts.test');
      const published = await client.api<{ version: number }>('/profiles/meeting/versions', {
        token: admin.access_token,
        method: 'POST',
        body: {
          ...meetingProfile.definition,
          template: meetingProfile.definition.template.replace('# Meeting results', '# Meeting results (v2)'),
        },
      });
      expect(published.status).toBe(201);
      const version = published.body.version;
      expect(version).toBeGreaterThan(1);

      const rerun = await client.api<{ job_id: string }>(`/jobs/${launchJob}/rerun`, {
        token: ana.access_token,
        method: 'POST',
        body: { profile_version: version },
      });
      expect(rerun.status).toBe(202);
      const rerunId = rerun.body.job_id;
      expect(rerunId).not.toBe(launchJob);
      await ended(rerunId, 'completed');
      const job = (await client.job(rerunId, ana.access_token)).body;
      expect(job).toMatchObject({ rerun_of: launchJob, profile_key: 'meeting', profile_version: version });
      const original = (await client.job(launchJob, ana.access_token)).body;
      expect(job.input_uri).toBe(original.input_uri);
      expect(original.rerun_of ?? null).toBeNull();
      const markdown = (await client.download(rerunId, ana.access_token)).get('results_md');
      expect(markdown?.bytes.toString('utf8')).toContain('# Meeting results (v2)');

      const changes = await client.api<ResultsChanges>(`/jobs/${rerunId}/changes`, {
        token: ana.access_token,
      });
      expect(changes.status).toBe(200);
      expect(changes.body).toMatchObject({
        job_id: rerunId,
        rerun_of: launchJob,
        profile: { key: 'meeting', from_version: original.profile_version, to_version: version },
        // The offline analyzer reads the same transcript the same way under either version.
        summary_changed: false,
      });
      const decisions = changes.body.sections.find((section) => section.section === 'decisions');
      expect(decisions).toMatchObject({ added: [], removed: [], changed: [] });
      expect(decisions?.unchanged).toBeGreaterThan(0);

      // A re-run of the same version is allowed too; a job that is not a re-run has no changes.
      const again = await client.api<{ job_id: string }>(`/jobs/${launchJob}/rerun`, {
        token: ana.access_token,
        method: 'POST',
        body: {},
      });
      expect(again.status).toBe(202);
      await ended(again.body.job_id, 'completed');
      expect((await client.job(again.body.job_id, ana.access_token)).body.profile_version).toBe(
        original.profile_version,
      );
      expect((await client.api(`/jobs/${launchJob}/changes`, { token: ana.access_token })).status).toBe(404);
    });

    it('refuses another user’s job (404), a version that does not exist (404) and a bad version (400)', async () => {
      const bobs = await client.api(`/jobs/${launchJob}/rerun`, {
        token: bob.access_token,
        method: 'POST',
        body: {},
      });
      expect(bobs.status).toBe(404);
      const missing = await client.api(`/jobs/${launchJob}/rerun`, {
        token: ana.access_token,
        method: 'POST',
        body: { profile_version: 99 },
      });
      expect(missing.status).toBe(404);
      const bad = await client.api<{ error: { code: string } }>(`/jobs/${launchJob}/rerun`, {
        token: ana.access_token,
        method: 'POST',
        body: { profile_version: 0 },
      });
      expect(bad.status).toBe(400);
      const listed = await client.api<{ items: JobView[] }>('/jobs', { token: ana.access_token });
      expect(listed.body.items.filter((job) => job.rerun_of === launchJob)).toHaveLength(2);
    });
  });
  describe('relabelling speakers', () => {
    const STANDUP = [
      'Speaker 0: Good morning. We need to decide on the vendor contract today.',
      'Speaker 1: I reviewed the offer. We decided to sign the vendor contract this week.',
      'Speaker 2: Should we ask legal to review the termination clause?',
      'Speaker 0: Yes. I will send the contract to legal by Friday.',
      'Speaker 1: Great, the budget is approved.',
    ].join('\n');

    it('renames speakers and merges two into one; the outputs are re-rendered under the same artifact ids', async () => {
      const jobId = await client.submit(ana.access_token, {
        profile: 'meeting',
        transcript: STANDUP,
        format: 'plain',
      });
      await ended(jobId, 'completed');
      const before = await client.download(jobId, ana.access_token);
      expect(before.get('results_md')?.bytes.toString('utf8')).toContain('Speaker 2');

      const relabelled = await client.api<{ job_id: string; relabel_id: string }>(`/jobs/${jobId}/speakers`, {
        token: ana.access_token,
        method: 'POST',
        body: { rename: { 'Speaker 0': 'Alice', 'Speaker 2': 'Alice', 'Speaker 1': 'Bob' } },
      });
      expect(relabelled.status).toBe(202);
      expect(relabelled.body.job_id).toBe(jobId);
      const statusUrl = `/jobs/${jobId}/speakers/${relabelled.body.relabel_id}`;
      const applied = await pollUntil(
        'the relabelling to be applied',
        async () => {
          const status = await client.api<{ status: string; error: unknown }>(statusUrl, {
            token: ana.access_token,
          });
          return status.body.status === 'pending' ? undefined : status.body;
        },
        60_000,
      );
      expect(applied).toEqual({
        id: relabelled.body.relabel_id,
        job_id: jobId,
        status: 'applied',
        error: null,
      });
      expect((await client.api(statusUrl, { token: bob.access_token })).status).toBe(404);

      const after = await pollUntil(
        'the relabelled results.md',
        async () => {
          const downloaded = await client.download(jobId, ana.access_token);
          const markdown = downloaded.get('results_md');
          // results.md is revised last: once its listed checksum moved, all three were revised.
          return markdown &&
            markdown.artifact.checksum !== before.get('results_md')?.artifact.checksum &&
            markdown.sha256 === markdown.artifact.checksum
            ? downloaded
            : undefined;
        },
        60_000,
      );
      for (const kind of ['transcript', 'results_json', 'results_md'] as const) {
        const revised = after.get(kind);
        expect(revised?.artifact.id).toBe(before.get(kind)?.artifact.id);
        expect(revised?.sha256).toBe(revised?.artifact.checksum);
        expect(revised?.bytes.length).toBe(revised?.artifact.size);
      }
      const markdown = after.get('results_md')?.bytes.toString('utf8') ?? '';
      expect(markdown).toContain('Alice');
      expect(markdown).toContain('Bob');
      expect(markdown).not.toMatch(/Speaker [012]/);

      const transcript = JSON.parse(after.get('transcript')?.bytes.toString('utf8') ?? '{}') as {
        speakers: { label: string }[];
        segments: { speakerLabel: string; text: string }[];
      };
      expect(transcript.speakers.map((speaker) => speaker.label)).toEqual(['Alice', 'Bob']);
      expect(transcript.segments.map((segment) => segment.speakerLabel)).toEqual([
        'Alice',
        'Bob',
        'Alice',
        'Alice',
        'Bob',
      ]);

      const results = JSON.parse(after.get('results_json')?.bytes.toString('utf8') ?? '{}') as {
        speaker_statistics: { speaker: string; turns: number; questions: number }[];
      };
      // Speaker 2 then Speaker 0 in a row are one turn of Alice's now (two in all); her question is counted.
      expect(results.speaker_statistics.map((row) => row.speaker).sort()).toEqual(['Alice', 'Bob']);
      expect(results.speaker_statistics.find((row) => row.speaker === 'Alice')).toMatchObject({
        turns: 2,
        questions: 1,
      });
      // Quotes stay verbatim from the source.
      for (const quote of evidenceQuotesOf(results)) expect(STANDUP).toContain(quote);
    });

    it('answers a rename of a label no speaker has as failed, naming the speakers there are', async () => {
      const accepted = await client.api<{ relabel_id: string }>(`/jobs/${launchJob}/speakers`, {
        token: ana.access_token,
        method: 'POST',
        body: { rename: { Nobody: 'Zed' } },
      });
      expect(accepted.status).toBe(202);
      const outcome = await pollUntil(
        'the relabelling to end',
        async () => {
          const status = await client.api<{
            status: string;
            error: { code: string; message: string } | null;
          }>(`/jobs/${launchJob}/speakers/${accepted.body.relabel_id}`, { token: ana.access_token });
          return status.body.status === 'pending' ? undefined : status.body;
        },
        60_000,
      );
      expect(outcome).toMatchObject({ status: 'failed', error: { code: 'UNKNOWN_SPEAKER' } });
      expect(outcome.error?.message).toContain('Nobody');
    });

    it('refuses bad renames (400), another user’s job (404) and a job that is not completed (409)', async () => {
      for (const rename of [{}, { 'Speaker 0': '' }, { 'Speaker 0': 'x'.repeat(101) }, ['Alice']]) {
        const refused = await client.api<{ error: { code: string } }>(`/jobs/${launchJob}/speakers`, {
          token: ana.access_token,
          method: 'POST',
          body: { rename },
        });
        expect(refused.status).toBe(400);
        expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      }
      const bobs = await client.api(`/jobs/${launchJob}/speakers`, {
        token: bob.access_token,
        method: 'POST',
        body: { rename: { Ana: 'Anna' } },
      });
      expect(bobs.status).toBe(404);
      const failing = await client.submit(ana.access_token, {
        profile: 'meeting',
        transcript: 'still not a WebVTT file',
        format: 'webvtt',
      });
      await ended(failing, 'failed');
      const onFailed = await client.api(`/jobs/${failing}/speakers`, {
        token: ana.access_token,
        method: 'POST',
        body: { rename: { Ana: 'Anna' } },
      });
      expect(onFailed.status).toBe(409);
    });
  });
  describe('while the worker is away', () => {
    it('answers 409 for a prompt or a relabelling on a job not completed, and for changes until the re-run completed', async () => {
      await stack.kill('worker', 'SIGTERM');
      let restarted = false;
      try {
        // With no worker, a new job stays queued: deterministically not completed.
        const queued = await client.submit(ana.access_token, { profile: 'meeting', transcript: LAUNCH_VTT });
        expect((await client.job(queued, ana.access_token)).body.status).toBe('queued');
        const prompt = await client.api<{ error: { code: string; message: string } }>('/prompts', {
          token: ana.access_token,
          method: 'POST',
          body: { job_id: queued, prompt: 'When is the launch?' },
        });
        expect(prompt.status).toBe(409);
        expect(prompt.body.error.message).toMatch(/queued/);
        const speakers = await client.api(`/jobs/${queued}/speakers`, {
          token: ana.access_token,
          method: 'POST',
          body: { rename: { Ana: 'Anna' } },
        });
        expect(speakers.status).toBe(409);
        const rerunOfQueued = await client.api(`/jobs/${queued}/rerun`, {
          token: ana.access_token,
          method: 'POST',
          body: {},
        });
        expect(rerunOfQueued.status).toBe(409);

        const rerun = await client.api<{ job_id: string }>(`/jobs/${launchJob}/rerun`, {
          token: ana.access_token,
          method: 'POST',
          body: {},
        });
        expect(rerun.status).toBe(202);
        const early = await client.api<{ error: { code: string } }>(`/jobs/${rerun.body.job_id}/changes`, {
          token: ana.access_token,
        });
        expect(early.status).toBe(409);
        expect(early.body.error.code).toBe('CONFLICT');

        await stack.start('worker');
        restarted = true;
        await ended(rerun.body.job_id, 'completed');
        await ended(queued, 'completed');
        const changes = await client.api<ResultsChanges>(`/jobs/${rerun.body.job_id}/changes`, {
          token: ana.access_token,
        });
        expect(changes.status).toBe(200);
        expect(changes.body.sections.every((section) => section.added.length === 0)).toBe(true);
      } finally {
        if (!restarted) await stack.start('worker');
      }
    });
  });
});
