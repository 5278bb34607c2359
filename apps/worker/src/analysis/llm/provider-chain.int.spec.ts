import { Logger, type LoggerService } from '@nestjs/common';
import { parseTranscript } from '@scriptripper/analysis';
import { loadConfig } from '@scriptripper/config';
import { FakeLlmServer } from '@scriptripper/testing';
import { WorkerConfig } from '../../config';
import { AnalysisFailure } from '../../analyze-transcript/analysis-failure';
import { OutputSchemaValidator } from '../../results/output-schema.validator';
import { MEETING_PROFILE } from '../../test-support/meeting-profile.fixture';
import { SHORT_MEETING_VTT } from '../../test-support/short-meeting';
import type { AnalysisOutcome } from '../analysis-provider';
import type { PromptAnswerer } from '../prompt-answerer';
import { ChainAnalysisProvider } from './chain-analysis.provider';
import { LlmChain, ProvidersUnavailable } from './llm-chain';
import { LlmPromptAnswerer } from './llm-prompt-answerer';
import { providerSettingsOf } from './provider-settings';

const KEYS = {
  OPENAI_API_KEY: 'sk-test-openai-5ecret',
  ANTHROPIC_API_KEY: 'sk-ant-test-5ecret',
  GOOGLE_GENERATIVE_AI_API_KEY: 'AIza-test-5ecret',
};
const transcript = parseTranscript(SHORT_MEETING_VTT, { format: 'webvtt' });
const request = { transcript, profile: MEETING_PROFILE, meetingDate: '2026-03-02' };

let fake: FakeLlmServer;
/** The delays the chain asked to wait before retries; waiting itself is skipped. */
let waits: number[];
/** Everything the chain logged. */
let logged: string[];

beforeAll(async () => {
  fake = await FakeLlmServer.start();
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  fake.reset();
  waits = [];
  logged = [];
  const capture = (...parts: unknown[]) => void logged.push(parts.map(String).join(' '));
  const logger: LoggerService = {
    log: capture,
    warn: capture,
    error: capture,
    debug: capture,
    verbose: capture,
  };
  Logger.overrideLogger(logger);
});
afterEach(() => {
  Logger.overrideLogger(false);
});

/** A provider chain as the worker builds it from these settings, against the fake server. */
function chainWith(settings: Record<string, string>) {
  const config = loadConfig(WorkerConfig, {
    REDIS_URL: 'redis://127.0.0.1:6379',
    BLOB_ROOT: '/tmp/unused',
    ...KEYS,
    OPENAI_BASE_URL: fake.baseUrl('openai'),
    ANTHROPIC_BASE_URL: fake.baseUrl('anthropic'),
    GOOGLE_BASE_URL: fake.baseUrl('gemini'),
    LLM_RETRY_BASE_MS: '10',
    LLM_MAX_RETRIES: '1',
    ...settings,
  });
  const provider = providerSettingsOf(config);
  const chain = new LlmChain(provider, new OutputSchemaValidator(), (ms) => {
    waits.push(ms);
    return Promise.resolve();
  });
  return { provider, chain, analysis: new ChainAnalysisProvider(provider, chain) };
}

function expectMeetingSchema(outcome: AnalysisOutcome): void {
  const problems = new OutputSchemaValidator().problemsOf(
    { key: 'meeting', version: 1, schema: MEETING_PROFILE.output_schema },
    outcome.output,
  );
  expect(problems).toBeNull();
}

async function failureOf(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('LLM provider chain against the vendors’ wire formats', () => {
  it('analyses through OpenAI with a strict schema, measured speakers, tokens and cost', async () => {
    const { analysis } = chainWith({ ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini' });
    fake.script('openai', { fixture: 'openai-meeting' });

    const outcome = await analysis.analyze(request);

    expectMeetingSchema(outcome);
    expect(outcome.output['provider']).toEqual({ name: 'openai', model: 'gpt-4o-mini' });
    expect(outcome.output['profile']).toEqual({ key: 'meeting', version: 1 });
    const speakers = outcome.output['speaker_statistics'] as { speaker: string }[];
    expect(speakers.map((row) => row.speaker).sort()).toEqual(['Ana Lima', 'Bob Chen', 'Carla Diaz']);
    expect(outcome.usage).toEqual({
      words: expect.any(Number),
      tokens: 2_000,
      input_tokens: 1_200,
      output_tokens: 800,
      // 1,200 x $0.15/1M + 800 x $0.60/1M
      cost: 0.00066,
      provider: 'openai',
      model: 'gpt-4o-mini',
      dropped_items: 0,
    });
    const [sent] = fake.requestsTo('openai');
    expect(sent?.headers['authorization']).toBe(`Bearer ${KEYS.OPENAI_API_KEY}`);
    const format = sent?.body['response_format'] as {
      type: string;
      json_schema: { strict: boolean; schema: object };
    };
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.strict).toBe(true);
    expect(JSON.stringify(format.json_schema.schema)).not.toContain('speaker_statistics');
    expect(JSON.stringify(sent?.body['messages'])).toContain(
      "[s4] [00:00:18] Bob Chen: I'll update the onboarding screens by Friday.",
    );
  });

  it('waits as a 429’s retry-after asks, then takes the answer', async () => {
    const { analysis } = chainWith({ ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini' });
    fake.script(
      'openai',
      { fixture: 'openai-429', status: 429, headers: { 'retry-after-ms': '250' } },
      { fixture: 'openai-meeting' },
    );

    const outcome = await analysis.analyze(request);

    expectMeetingSchema(outcome);
    expect(waits).toEqual([250]);
    expect(fake.requestsTo('openai')).toHaveLength(2);
    expect(outcome.usage.provider).toBe('openai');
  });

  it('backs off exponentially on 5xx, then falls back to the next provider', async () => {
    const { analysis } = chainWith({
      ANALYSIS_PROVIDERS: 'anthropic:claude-3-5-haiku-latest,gemini:gemini-2.0-flash',
      LLM_MAX_RETRIES: '2',
    });
    fake.script(
      'anthropic',
      { fixture: 'anthropic-529', status: 529 },
      { fixture: 'anthropic-529', status: 529 },
      { fixture: 'anthropic-529', status: 529 },
    );
    fake.script('gemini', { fixture: 'gemini-meeting' });

    const outcome = await analysis.analyze(request);

    expectMeetingSchema(outcome);
    expect(waits).toEqual([10, 20]);
    expect(fake.requestsTo('anthropic')).toHaveLength(3);
    expect(outcome.usage).toMatchObject({
      provider: 'gemini',
      model: 'gemini-2.0-flash',
      input_tokens: 1_100,
      output_tokens: 780,
      // 1,100 x $0.10/1M + 780 x $0.40/1M
      cost: 0.000422,
    });
    // Gemini got its narrower dialect: no additionalProperties, no date format.
    const [sent] = fake.requestsTo('gemini');
    expect(sent?.headers['x-goog-api-key']).toBe(KEYS.GOOGLE_GENERATIVE_AI_API_KEY);
    const schema = JSON.stringify(
      (sent?.body['generationConfig'] as { responseSchema: object }).responseSchema,
    );
    expect(schema).toContain('"evidence"');
    expect(schema).not.toContain('additionalProperties');
    expect(schema).not.toContain('"format":"date"');
    expect(logged.join('\n')).toContain('anthropic:claude-3-5-haiku-latest failed, trying the next provider');
  });

  it('gives up on a provider that does not answer in time and falls back', async () => {
    const { analysis } = chainWith({
      ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini,anthropic:claude-3-5-haiku-latest',
      LLM_TIMEOUT_MS: '300',
    });
    fake.script('openai', { hang: true }, { hang: true });
    fake.script('anthropic', { fixture: 'anthropic-meeting' });

    const outcome = await analysis.analyze(request);

    expectMeetingSchema(outcome);
    expect(fake.requestsTo('openai')).toHaveLength(2);
    expect(waits).toEqual([10]);
    expect(outcome.usage.provider).toBe('anthropic');
    expect(logged.join('\n')).toContain('openai:gpt-4o-mini did not answer within 300 ms');
    const [sent] = fake.requestsTo('anthropic');
    expect(sent?.headers['x-api-key']).toBe(KEYS.ANTHROPIC_API_KEY);
  });

  it('sends an answer that is not JSON back once and takes the repaired one, billing both', async () => {
    const { analysis } = chainWith({ ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini' });
    fake.script('openai', { fixture: 'openai-meeting-truncated' }, { fixture: 'openai-meeting' });

    const outcome = await analysis.analyze(request);

    expectMeetingSchema(outcome);
    expect(outcome.usage).toMatchObject({ input_tokens: 2_400, output_tokens: 920, tokens: 3_320 });
    const repair = fake.requestsTo('openai')[1]?.body['messages'] as { role: string; content: unknown }[];
    expect(repair.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(String(repair[3]?.content)).toContain('That answer is not valid: it is not valid JSON');
  });

  it('sends the schema’s complaints back once, and moves on when the repair fails too', async () => {
    const { analysis } = chainWith({
      ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini,anthropic:claude-3-5-haiku-latest',
    });
    fake.script(
      'openai',
      { fixture: 'openai-meeting-missing-section' },
      { fixture: 'openai-meeting-missing-section' },
    );
    fake.script('anthropic', { fixture: 'anthropic-meeting' });

    const outcome = await analysis.analyze(request);

    expectMeetingSchema(outcome);
    const repair = fake.requestsTo('openai')[1]?.body['messages'] as { content: unknown }[];
    expect(String(repair[3]?.content)).toContain("must have required property 'tasks'");
    expect(outcome.usage.provider).toBe('anthropic');
    // Both OpenAI answers are paid for: 2 x (1,200 x 0.15 + 600 x 0.6) / 1M, plus Anthropic's 1,350 x 0.8 + 900 x 4.
    expect(outcome.usage.cost).toBeCloseTo(0.00108 + 0.00468, 9);
    expect(outcome.usage.input_tokens).toBe(2 * 1_200 + 1_350);
  });

  it('drops and counts an item whose quote is not in the transcript', async () => {
    const { analysis } = chainWith({ ANALYSIS_PROVIDERS: 'anthropic:claude-3-5-haiku-latest' });
    fake.script('anthropic', { fixture: 'anthropic-meeting-made-up-quote' });

    const outcome = await analysis.analyze(request);

    expectMeetingSchema(outcome);
    expect(outcome.usage.dropped_items).toBe(1);
    const decisions = outcome.output['decisions'] as { text: string }[];
    expect(decisions.map((decision) => decision.text)).toEqual([
      'Keep the April 15 launch date and ship the simpler tutorial.',
    ]);
    expect(JSON.stringify(outcome.output)).not.toContain('May');
  });

  it('runs a profile version through its own chain', async () => {
    const { analysis } = chainWith({
      ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini',
      ANALYSIS_PROVIDER_BY_PROFILE: 'meeting@1=gemini:gemini-2.0-flash;talk=offline',
    });
    fake.script('gemini', { fixture: 'gemini-meeting' });

    const outcome = await analysis.analyze(request);

    expect(outcome.usage.provider).toBe('gemini');
    expect(fake.requestsTo('openai')).toHaveLength(0);
  });

  it('falls back to the offline analyzer when the chain ends with it', async () => {
    const { analysis } = chainWith({ ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini,offline' });
    fake.script('openai', { fixture: 'openai-401', status: 401 });

    const outcome = await analysis.analyze(request);

    expectMeetingSchema(outcome);
    expect(outcome.usage).toMatchObject({ provider: 'offline', model: null, cost: 0 });
    expect(waits).toEqual([]);
  });

  it('fails the work for good when every provider refuses, and for later when one was only busy', async () => {
    const refused = chainWith({ ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini' });
    fake.script('openai', { fixture: 'openai-401', status: 401 });
    const permanent = await failureOf(refused.analysis.analyze(request));
    expect(permanent).toBeInstanceOf(AnalysisFailure);
    expect((permanent as AnalysisFailure).code).toBe('LLM_PROVIDERS_FAILED');
    expect(permanent.message).toContain('openai:gpt-4o-mini answered 401');

    const busy = chainWith({ ANALYSIS_PROVIDERS: 'gemini:gemini-2.0-flash' });
    fake.script('gemini', { fixture: 'gemini-503', status: 503 }, { fixture: 'gemini-503', status: 503 });
    const transient = await failureOf(busy.analysis.analyze(request));
    expect(transient).toBeInstanceOf(ProvidersUnavailable);
    expect(transient.message).toContain('gemini:gemini-2.0-flash answered 503');
  });

  it('never puts a key in a log line or an error message', async () => {
    const { analysis } = chainWith({
      ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini,anthropic:claude-3-5-haiku-latest,gemini:gemini-2.0-flash',
      LLM_TIMEOUT_MS: '200',
    });
    fake.script('openai', { fixture: 'openai-401', status: 401 });
    fake.script('anthropic', { hang: true }, { hang: true });
    fake.script('gemini', { fixture: 'gemini-503', status: 503 }, { fixture: 'gemini-503', status: 503 });

    const error = await failureOf(analysis.analyze(request));

    const seen = [...logged, error.message, String(error.stack)].join('\n');
    expect(logged.length).toBeGreaterThanOrEqual(3);
    for (const key of Object.values(KEYS)) expect(seen).not.toContain(key);
  });
});

describe('LLM answers to custom prompts', () => {
  const offline: PromptAnswerer = {
    name: 'offline',
    answer: () =>
      Promise.resolve({
        answer_markdown: 'offline',
        citations: [],
        usage: { input_tokens: 0, output_tokens: 0, cost: 0, provider: 'offline', model: null },
      }),
  };

  it('answers with the citations found in the transcript, dropping a made-up one', async () => {
    const { provider, chain } = chainWith({ ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini' });
    fake.script('openai', { fixture: 'openai-prompt-answer' });
    const answerer = new LlmPromptAnswerer(provider.chain, chain, offline);

    const answer = await answerer.answer({ transcript, prompt: 'Who does what by when?' });

    expect(answer.answer_markdown).toContain('**update the onboarding screens**');
    expect(answer.citations).toEqual([
      { quote: "I'll update the onboarding screens by Friday.", speaker: 'Bob Chen', start_ms: 18_500 },
      { quote: 'Carla, please draft the release notes', speaker: 'Ana Lima', start_ms: 24_500 },
    ]);
    // 700 x $0.15/1M + 90 x $0.60/1M
    expect(answer.usage).toEqual({
      input_tokens: 700,
      output_tokens: 90,
      cost: 0.000159,
      provider: 'openai',
      model: 'gpt-4o-mini',
    });
    expect(JSON.stringify(fake.requestsTo('openai')[0]?.body['messages'])).toContain(
      'Who does what by when?',
    );
  });

  it('hands the question to the offline answerer when the chain falls back to it', async () => {
    const { provider, chain } = chainWith({ ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini,offline' });
    fake.script('openai', { fixture: 'openai-401', status: 401 });
    const answerer = new LlmPromptAnswerer(provider.chain, chain, offline);

    const answer = await answerer.answer({ transcript, prompt: 'Anything?' });

    expect(answer.answer_markdown).toBe('offline');
  });
});
