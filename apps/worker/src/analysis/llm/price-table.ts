import { ProviderSettingError } from './llm-settings';

/** US dollars per one million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
}

/**
 * List prices (USD per 1M tokens, standard tier, no caching or batch discount) of the models
 * people configure most. A model is priced by the longest name here that its own name starts
 * with, so dated snapshots (`claude-3-5-haiku-20241022`) find their family. `LLM_PRICES`
 * overrides or adds entries: prices change, and cost feeds spend caps, so an unpriced model
 * is refused at boot rather than run for free.
 */
export const DEFAULT_MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5': { input: 1.25, output: 10 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-opus-4': { input: 15, output: 75 },
  'gemini-2.0-flash-lite': { input: 0.075, output: 0.3 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-pro': { input: 1.25, output: 10 },
};

export class PriceTable {
  private readonly prices: ReadonlyMap<string, ModelPrice>;

  constructor(overrides: Readonly<Record<string, ModelPrice>> = {}) {
    this.prices = new Map(Object.entries({ ...DEFAULT_MODEL_PRICES, ...overrides }));
  }

  /** The model's price, or undefined when neither the defaults nor the overrides know it. */
  priceOf(model: string): ModelPrice | undefined {
    let best: string | undefined;
    for (const name of this.prices.keys()) {
      if (model.startsWith(name) && (best === undefined || name.length > best.length)) best = name;
    }
    return best === undefined ? undefined : this.prices.get(best);
  }

  /** What a call cost in US dollars, rounded to a millionth of a dollar. */
  costOf(model: string, usage: { inputTokens: number; outputTokens: number }): number {
    const price = this.priceOf(model);
    if (!price)
      throw new ProviderSettingError(`no price is known for model "${model}": add it to LLM_PRICES`);
    const dollars = (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
    return Math.round(dollars * 1_000_000) / 1_000_000;
  }
}

/** Reads `LLM_PRICES`: `{"my-model": {"input": 0.5, "output": 1.5}}`, dollars per 1M tokens. */
export function parsePriceOverrides(value: string | undefined): Record<string, ModelPrice> {
  if (value === undefined || value.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ProviderSettingError(
      'must be a JSON object of {"<model>": {"input": <$/1M>, "output": <$/1M>}}',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProviderSettingError(
      'must be a JSON object of {"<model>": {"input": <$/1M>, "output": <$/1M>}}',
    );
  }
  const prices: Record<string, ModelPrice> = {};
  for (const [model, price] of Object.entries(parsed as Record<string, unknown>)) {
    const { input, output } = (price ?? {}) as Record<string, unknown>;
    if (!isPrice(input) || !isPrice(output)) {
      throw new ProviderSettingError(`"${model}" needs "input" and "output" prices of at least 0`);
    }
    prices[model] = { input, output };
  }
  return prices;
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
