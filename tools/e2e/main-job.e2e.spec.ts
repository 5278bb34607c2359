import type { TokenPair } from '@scriptripper/contracts';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { evidenceQuotesOf, GatewayClient, type DownloadedArtifact } from './test-support/gateway-client';
import {
  asAssemblyAiJson,
  asPlainText,
  asSegmentsJson,
  asSrt,
  VENDOR_MEETING,
} from './test-support/transcripts';

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

interface MeetingResults {
  readonly decisions: readonly { evidence: readonly { quote: string }[] }[];
  readonly tasks: readonly { owner: { name: string | null }; evidence: readonly { quote: string }[] }[];
}

/**
 * The main job through the gateway, as a client does it, with every service (the worker too)
 * as its own process from dist/: upload a transcript, follow the job to completed, list its
 * artifacts, download each through a signed URL and check its bytes and evidence.
 */
describe('the main job through the gateway', () => {
  let stack: IdentityStack;
  let client: GatewayClient;
  let ana: TokenPair;
  let bob: TokenPair;

  /** The three artifacts of a completed job, each downloaded and checked against its checksum and size. */
  async function verifiedArtifacts(jobId: string): Promise<Map<string, DownloadedArtifact>> {
    const downloaded = await client.download(jobId, ana.access_token);
    expect([...downloaded.keys()].sort()).toEqual(['results_json', 'results_md', 'transcript']);
    for (const { artifact, bytes, sha256 } of downloaded.values()) {
      expect(sha256).toBe(artifact.checksum);
      expect(bytes.length).toBe(artifact.size);
    }
    return downloaded;
  }

  /** results.json of a meeting, with every evidence quote checked to occur verbatim in the source. */
  function meetingResultsOf(downloaded: Map<string, DownloadedArtifact>, source: string): MeetingResults {
    const results = JSON.parse(
      downloaded.get('results_json')?.bytes.toString('utf8') ?? '{}',
    ) as MeetingResults;
    expect(results.decisions.length).toBeGreaterThan(0);
    expect(results.tasks.length).toBeGreaterThan(0);
    const quotes = evidenceQuotesOf(results);
    expect(quotes.length).toBeGreaterThanOrEqual(results.decisions.length + results.tasks.length);
    for (const quote of quotes) expect(source).toContain(quote);
    return results;
  }

  beforeAll(async () => {
    stack = await startIdentityStack('main_job_e2e', { adminEmail: 'admin@main-job.test', withWorker: true });
    client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
    ana = await client.signIn('ana@main-job.test');
    bob = await client.signIn('bob@main-job.test');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('analyses a meeting transcript into verified, evidence-linked artifacts', async () => {
    const jobId = await client.submit(ana.access_token, {
      profile: 'meeting',
      transcript: MEETING_VTT,
      filename: 'launch.vtt',
      meeting_date: '2026-03-02',
    });

    const job = await client.finished(jobId, ana.access_token);
    expect(job).toMatchObject({ status: 'completed', profile_key: 'meeting', cost: 0 });
    expect(job.metrics).toMatchObject({ segments: 5, speakers: 3 });

    const downloaded = await verifiedArtifacts(jobId);
    const results = meetingResultsOf(downloaded, MEETING_VTT);
    expect(results.tasks.map((task) => task.owner.name)).toEqual(expect.arrayContaining(['Bob', 'Carla']));
    // The default meeting version (2) shows when things were said as mm:ss, not milliseconds.
    expect(job).toMatchObject({ profile_version: 2 });
    const markdown = downloaded.get('results_md')?.bytes.toString('utf8') ?? '';
    expect(markdown).toContain('- We decided to launch on the fifteenth of March. _(Bob, 00:06: "We decided');
    expect(markdown).not.toMatch(/\d ms\b/);
    // A summary says what the meeting was about, not who must send what.
    const summary = (
      JSON.parse(downloaded.get('results_json')?.bytes.toString('utf8') ?? '{}') as {
        summary: { text: string }[];
      }
    ).summary.map((item) => item.text);
    expect(summary.length).toBeGreaterThan(0);
    expect(summary.join(' ')).not.toContain('please send');
  });

  // The same three-person vendor meeting in each further format the API takes.
  it.each([
    { format: 'srt', filename: 'vendor.srt', source: asSrt(VENDOR_MEETING), owners: ['Priya', 'Omar'] },
    {
      format: 'segments-json',
      filename: 'vendor.json',
      source: asSegmentsJson(VENDOR_MEETING),
      owners: ['Priya', 'Omar'],
    },
    {
      format: 'assemblyai-json',
      filename: 'vendor-assemblyai.json',
      source: asAssemblyAiJson(VENDOR_MEETING),
      // AssemblyAI names speakers by letter: Priya is its third.
      owners: ['Speaker C'],
    },
    {
      format: 'plain',
      filename: 'vendor.txt',
      source: asPlainText(VENDOR_MEETING),
      owners: ['Priya', 'Omar'],
    },
  ])('completes a $format transcript with verified artifacts quoting it verbatim', async (example) => {
    const jobId = await client.submit(ana.access_token, {
      profile: 'meeting',
      transcript: example.source,
      filename: example.filename,
    });

    const job = await client.finished(jobId, ana.access_token);
    expect(job).toMatchObject({ status: 'completed', format: null, attempts: 1 });
    expect(job.metrics).toMatchObject({ segments: VENDOR_MEETING.length, speakers: 3 });

    const downloaded = await verifiedArtifacts(jobId);
    const transcript = JSON.parse(downloaded.get('transcript')?.bytes.toString('utf8') ?? '{}') as {
      format: string;
    };
    expect(transcript.format).toBe(example.format);
    const results = meetingResultsOf(downloaded, example.source);
    expect(results.tasks.map((task) => task.owner.name)).toEqual(expect.arrayContaining(example.owners));
  });

  it('completes a transcript uploaded as a multipart file', async () => {
    const source = asSrt(VENDOR_MEETING);
    const form = new FormData();
    form.append('profile', 'meeting');
    form.append('meeting_date', '2026-04-01');
    form.append('file', new Blob([source], { type: 'application/x-subrip' }), 'vendor-upload.srt');
    const created = await client.api<{ job_id: string }>('/jobs', {
      token: ana.access_token,
      method: 'POST',
      form,
    });
    expect(created.status).toBe(202);

    const job = await client.finished(created.body.job_id, ana.access_token);
    expect(job).toMatchObject({
      status: 'completed',
      filename: 'vendor-upload.srt',
      meeting_date: '2026-04-01',
    });
    expect(job.metrics).toMatchObject({ segments: VENDOR_MEETING.length, speakers: 3 });
    const downloaded = await verifiedArtifacts(job.id);
    meetingResultsOf(downloaded, source);
  });

  it('fails a transcript that cannot be parsed, with its code, once', async () => {
    const jobId = await client.submit(ana.access_token, {
      profile: 'meeting',
      transcript: 'WEBVTT\n\nthis is not a cue\n',
      format: 'webvtt',
    });
    const job = await client.finished(jobId, ana.access_token);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ retryable: false });
    expect(job.error?.code).toMatch(/TRANSCRIPT/);
  });

  it("answers 404 for another user's job and its artifacts", async () => {
    const jobId = await client.submit(ana.access_token, { profile: 'tasks', transcript: MEETING_VTT });
    expect((await client.job(jobId, bob.access_token)).status).toBe(404);
    expect((await client.api(`/jobs/${jobId}/artifacts`, { token: bob.access_token })).status).toBe(404);
    await client.finished(jobId, ana.access_token);
  });
});
