import type { TokenPair } from '@scriptripper/contracts';
import { FakeLlmServer } from '@scriptripper/testing';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { evidenceQuotesOf, GatewayClient } from './test-support/gateway-client';

/** The short meeting the fake server's recorded answers quote (libs/testing/src/llm-fixtures). */
const SHORT_MEETING_VTT = `WEBVTT

00:00:01.000 --> 00:00:06.000
<v Ana Lima>Good morning everyone. Let's review the launch plan for the mobile app.

00:00:06.500 --> 00:00:12.000
<v Bob Chen>The beta feedback was mostly positive, but the onboarding flow confused new users.

00:00:12.500 --> 00:00:18.000
<v Ana Lima>We decided to keep the launch date of April 15 and ship the simpler tutorial.

00:00:18.500 --> 00:00:24.000
<v Bob Chen>I'll update the onboarding screens by Friday.

00:00:24.500 --> 00:00:30.000
<v Ana Lima>Carla, please draft the release notes for the app store by next week.

00:00:30.500 --> 00:00:36.000
<v Carla Diaz>Sure. I'll post the *final* build to [the beta channel] before the launch.
`;

const KEYS = { OPENAI_API_KEY: 'sk-e2e-openai-5ecret', ANTHROPIC_API_KEY: 'sk-ant-e2e-5ecret' };

interface PromptView {
  readonly id: string;
  readonly status: 'pending' | 'answered' | 'failed';
  readonly provider?: string;
  readonly cost?: number;
  readonly json_artifact_id?: string | null;
}

/**
 * LLM providers through the gateway: every service as its own process from the build, the
 * worker configured with an OpenAI -> Anthropic chain pointed at a local server that speaks
 * both vendors' wire formats with recorded answers.
 */
describe('LLM providers through the gateway', () => {
  let fake: FakeLlmServer;
  let stack: IdentityStack;
  let client: GatewayClient;
  let ana: TokenPair;

  beforeAll(async () => {
    fake = await FakeLlmServer.start();
    stack = await startIdentityStack('llm_providers_e2e', {
      adminEmail: 'admin@llm.test',
      withWorker: true,
      worker: {
        ...KEYS,
        ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini,anthropic:claude-3-5-haiku-latest',
        OPENAI_BASE_URL: fake.baseUrl('openai'),
        ANTHROPIC_BASE_URL: fake.baseUrl('anthropic'),
        LLM_MAX_RETRIES: '1',
        LLM_RETRY_BASE_MS: '10',
      },
    });
    client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
    ana = await client.signIn('ana@llm.test');
  });

  afterAll(async () => {
    await stack?.stop();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  async function completedJob() {
    const jobId = await client.submit(ana.access_token, {
      profile: 'meeting',
      transcript: SHORT_MEETING_VTT,
      filename: 'launch.vtt',
      meeting_date: '2026-03-02',
    });
    return client.finished(jobId, ana.access_token);
  }

  it('analyses through OpenAI after a 429, dropping and counting a made-up quote, with tokens and cost on the job', async () => {
    fake.script(
      'openai',
      { fixture: 'openai-429', status: 429, headers: { 'retry-after-ms': '50' } },
      { fixture: 'openai-meeting-made-up-quote' },
    );

    const job = await completedJob();

    expect(job).toMatchObject({ status: 'completed', provider: 'openai:gpt-4o-mini' });
    expect(job.metrics).toMatchObject({
      segments: 6,
      speakers: 3,
      tokens: 2_060,
      input_tokens: 1_200,
      output_tokens: 860,
      provider: 'openai',
      model: 'gpt-4o-mini',
      dropped_items: 1,
    });
    // 1,200 x $0.15/1M + 860 x $0.60/1M
    expect(job.cost).toBeCloseTo(0.000696, 9);
    expect(fake.requestsTo('openai')).toHaveLength(2);

    const downloaded = await client.download(job.id, ana.access_token);
    for (const { artifact, sha256 } of downloaded.values()) expect(sha256).toBe(artifact.checksum);
    const results = JSON.parse(downloaded.get('results_json')?.bytes.toString('utf8') ?? '{}') as {
      decisions: unknown[];
      provider: unknown;
    };
    expect(results.provider).toEqual({ name: 'openai', model: 'gpt-4o-mini' });
    expect(results.decisions).toHaveLength(1);
    const quotes = evidenceQuotesOf(results);
    expect(quotes.length).toBeGreaterThan(5);
    for (const quote of quotes) expect(SHORT_MEETING_VTT).toContain(quote);
    expect(downloaded.get('results_md')?.bytes.toString('utf8')).not.toContain('May');
  });

  it('falls back to Anthropic when OpenAI refuses the key, never logging a key', async () => {
    fake.script('openai', { fixture: 'openai-401', status: 401 });
    fake.script('anthropic', { fixture: 'anthropic-meeting' });

    const job = await completedJob();

    expect(job).toMatchObject({ status: 'completed', provider: 'anthropic:claude-3-5-haiku-latest' });
    expect(job.metrics).toMatchObject({ dropped_items: 0, input_tokens: 1_350, output_tokens: 900 });
    const logs = stack.output('worker').join('\n');
    expect(logs).toContain('openai:gpt-4o-mini failed, trying the next provider');
    for (const key of Object.values(KEYS)) expect(logs).not.toContain(key);
  });

  it('answers a custom prompt through the chain, keeping only citations found in the transcript', async () => {
    fake.script('openai', { fixture: 'openai-meeting' });
    const job = await completedJob();
    fake.script('openai', { fixture: 'openai-prompt-answer' });

    const asked = await client.api<{ prompt_id: string }>('/prompts', {
      token: ana.access_token,
      method: 'POST',
      body: { job_id: job.id, prompt: 'Who does what by when?' },
    });
    expect(asked.status).toBe(202);
    let prompt: PromptView | undefined;
    const deadline = Date.now() + 60_000;
    while (!prompt || prompt.status === 'pending') {
      if (Date.now() > deadline) throw new Error('the prompt was not answered');
      await new Promise((resolve) => setTimeout(resolve, 200));
      prompt = (await client.api<PromptView>(`/prompts/${asked.body.prompt_id}`, { token: ana.access_token }))
        .body;
    }
    expect(prompt).toMatchObject({ status: 'answered', provider: 'openai:gpt-4o-mini' });

    const signed = await client.api<{ url: string }>(`/artifacts/${prompt.json_artifact_id}`, {
      token: ana.access_token,
    });
    const document = (await (await fetch(`${stack.gatewayUrl}${signed.body.url}`)).json()) as {
      citations: { quote: string; speaker: string; start_ms: number }[];
    };
    expect(document.citations).toEqual([
      { quote: "I'll update the onboarding screens by Friday.", speaker: 'Bob Chen', start_ms: 18_500 },
      { quote: 'Carla, please draft the release notes', speaker: 'Ana Lima', start_ms: 24_500 },
    ]);
  });
});
