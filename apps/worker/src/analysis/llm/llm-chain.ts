import { Logger } from '@nestjs/common';
import { recordLlmCall, recordLlmUsage } from '@scriptripper/observability';
import { AnalysisFailure } from '../../analyze-transcript/analysis-failure';
import { OutputSchemaValidator } from '../../results/output-schema.validator';
import { LlmCallFailed, LlmClient, type Sleep, type TokenUsage } from './llm-client';
import { targetName, type ProviderTarget } from './llm-settings';
import type { ProviderSettings } from './provider-settings';

export const LLM_PROVIDERS_FAILED = 'LLM_PROVIDERS_FAILED';

/** What a chain run gives: the answer, who gave it, and everything spent on the way (failed tries cost too). */
export interface ChainOutcome<T> {
  readonly value: T;
  readonly target: ProviderTarget;
  readonly usage: TokenUsage;
  /** US dollars over every model tried, by the price table. */
  readonly cost: number;
}

/** Every provider of the chain failed, at least one for a reason that may pass: the work is retried later. */
export class ProvidersUnavailable extends Error {
  override readonly name = 'ProvidersUnavailable';
}

/**
 * Runs a question down a provider chain: each LLM in order (with its own retries and repair),
 * falling back to the next on failure; `offline` answers without a network. When all fail,
 * the work fails for good if every failure was permanent (a refused key, no valid answer),
 * and is retried later otherwise.
 */
export class LlmChain {
  private readonly log = new Logger('LlmChain');
  private readonly clients = new Map<string, LlmClient>();

  constructor(
    private readonly settings: ProviderSettings,
    private readonly validator = new OutputSchemaValidator(),
    private readonly sleep?: Sleep,
  ) {}

  async run<T>(
    targets: readonly ProviderTarget[],
    ask: (client: LlmClient) => Promise<{ value: T; usage: TokenUsage }>,
    offline: () => Promise<T>,
  ): Promise<ChainOutcome<T>> {
    const spent: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    let cost = 0;
    const failures: LlmCallFailed[] = [];
    for (const target of targets) {
      if (target.vendor === 'offline') return { value: await offline(), target, usage: spent, cost };
      try {
        const answer = await ask(this.clientOf(target));
        cost += this.meter(target, 'ok', answer.usage);
        return { value: answer.value, target, usage: sum(spent, answer.usage), cost: round(cost) };
      } catch (error) {
        if (!(error instanceof LlmCallFailed)) throw error;
        failures.push(error);
        sum(spent, error.usage);
        cost += this.meter(target, error.retryable ? 'error_retryable' : 'error_permanent', error.usage);
        this.log.warn(`${targetName(target)} failed, trying the next provider if any: ${error.message}`);
      }
    }
    const reasons = failures.map((failure) => failure.message).join('; ');
    if (failures.some((failure) => failure.retryable)) {
      throw new ProvidersUnavailable(`no provider answered: ${reasons}`);
    }
    throw new AnalysisFailure(LLM_PROVIDERS_FAILED, `no provider gave a valid answer: ${reasons}`);
  }

  /** Prometheus: one call of `target` and what it spent (failed calls are billed too); answers its cost. */
  private meter(target: ProviderTarget & { model: string }, outcome: string, usage: TokenUsage): number {
    const cost = this.settings.prices.costOf(target.model, usage);
    const labels = { provider: target.vendor, model: target.model };
    recordLlmCall({ ...labels, outcome });
    recordLlmUsage({ ...labels, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cost });
    return cost;
  }

  private clientOf(target: ProviderTarget & { model: string }): LlmClient {
    const name = targetName(target);
    const known = this.clients.get(name);
    if (known) return known;
    const vendor = target.vendor as Exclude<ProviderTarget['vendor'], 'offline'>;
    const endpoint = this.settings.endpoints[vendor];
    // The config check refuses a chain naming a vendor without its key, so this is a programming error.
    if (!endpoint) throw new Error(`${vendor} is in a provider chain but has no API key`);
    const client = new LlmClient(
      vendor,
      target.model,
      endpoint,
      this.settings.policy,
      this.validator,
      this.sleep,
    );
    this.clients.set(name, client);
    return client;
  }
}

function sum(total: TokenUsage, usage: TokenUsage): TokenUsage {
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
  return total;
}

function round(dollars: number): number {
  return Math.round(dollars * 1_000_000) / 1_000_000;
}
