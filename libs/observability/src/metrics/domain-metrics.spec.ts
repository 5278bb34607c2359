import { Registry } from 'prom-client';
import { observeAnalysis, observeJobDuration, recordLlmCall, recordLlmUsage } from './domain-metrics';

async function valueOf(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((sample) =>
    Object.entries(labels).every(([key, expected]) => String(sample.labels[key]) === expected),
  )?.value;
}

describe('domain metrics', () => {
  it('counts job durations by outcome and ignores impossible ones', async () => {
    const registry = new Registry();
    observeJobDuration('completed', 3, registry);
    observeJobDuration('completed', 40, registry);
    observeJobDuration('failed', 1, registry);
    observeJobDuration('completed', -1, registry);
    observeJobDuration('completed', Number.NaN, registry);

    const name = 'scriptripper_job_duration_seconds';
    expect(await valueOf(registry, name, { outcome: 'completed', le: '+Inf' })).toBe(2);
    expect(await valueOf(registry, name, { outcome: 'completed', le: '5' })).toBe(1);
    expect(await valueOf(registry, name, { outcome: 'failed', le: '+Inf' })).toBe(1);
  });

  it('times the analyzer by provider, profile and outcome', async () => {
    const registry = new Registry();
    observeAnalysis({ provider: 'offline', profile: 'meeting', outcome: 'ok' }, 0.2, registry);

    expect(
      await valueOf(registry, 'scriptripper_analysis_duration_seconds', {
        provider: 'offline',
        profile: 'meeting',
        outcome: 'ok',
        le: '0.25',
      }),
    ).toBe(1);
  });

  it('adds up LLM tokens by direction, cost and calls by outcome per provider and model', async () => {
    const registry = new Registry();
    const model = { provider: 'openai', model: 'gpt-4o-mini' };
    recordLlmUsage({ ...model, inputTokens: 1200, outputTokens: 300, cost: 0.00036 }, registry);
    recordLlmUsage({ ...model, inputTokens: 800, outputTokens: 0, cost: 0.00012 }, registry);
    recordLlmCall({ ...model, outcome: 'ok' }, registry);
    recordLlmCall({ ...model, outcome: 'error_retryable' }, registry);
    recordLlmCall({ ...model, outcome: 'error_retryable' }, registry);

    const tokens = 'scriptripper_llm_tokens_total';
    expect(await valueOf(registry, tokens, { ...model, direction: 'input' })).toBe(2000);
    expect(await valueOf(registry, tokens, { ...model, direction: 'output' })).toBe(300);
    expect(await valueOf(registry, 'scriptripper_llm_cost_usd_total', model)).toBeCloseTo(0.00048, 8);
    expect(
      await valueOf(registry, 'scriptripper_llm_requests_total', { ...model, outcome: 'error_retryable' }),
    ).toBe(2);
  });
});
