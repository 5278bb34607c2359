import {
  parseChainsByProfile,
  parseProviderChain,
  ProviderSettingError,
  type LlmVendor,
  type ProviderTarget,
} from './llm-settings';
import { parsePriceOverrides, PriceTable } from './price-table';

/** The settings a vendor needs, named by their environment variables. */
export const VENDOR_SETTINGS: Readonly<Record<LlmVendor, { apiKey: string; baseUrl: string }>> = {
  openai: { apiKey: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
  anthropic: { apiKey: 'ANTHROPIC_API_KEY', baseUrl: 'ANTHROPIC_BASE_URL' },
  gemini: { apiKey: 'GOOGLE_GENERATIVE_AI_API_KEY', baseUrl: 'GOOGLE_BASE_URL' },
};

type Settings = Readonly<Record<string, unknown>>;

/**
 * What is wrong with a chain setting, or null: it must parse, every vendor it names needs its
 * API key, and every model a price (so cost and spend caps are never silently zero).
 */
export function problemOfChainSetting(
  variable: 'ANALYSIS_PROVIDERS' | 'ANALYSIS_PROVIDER_BY_PROFILE',
  settings: object | undefined,
): string | null {
  const values = (settings ?? {}) as Settings;
  const value = values[variable];
  if (value === undefined) return null;
  if (typeof value !== 'string') return 'must be a string';
  try {
    const chains =
      variable === 'ANALYSIS_PROVIDERS'
        ? [parseProviderChain(value)]
        : [...parseChainsByProfile(value).values()];
    const prices = new PriceTable(parsePricesOrNone(values['LLM_PRICES']));
    for (const target of chains.flat()) checkTarget(target, values, prices);
    return null;
  } catch (error) {
    if (error instanceof ProviderSettingError) return error.message;
    throw error;
  }
}

/** What is wrong with `LLM_PRICES`, or null. */
export function problemOfPriceSetting(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string') return 'must be a string';
  try {
    parsePriceOverrides(value);
    return null;
  } catch (error) {
    if (error instanceof ProviderSettingError) return error.message;
    throw error;
  }
}

function checkTarget(target: ProviderTarget, values: Settings, prices: PriceTable): void {
  if (target.vendor === 'offline') return;
  const keyVariable = VENDOR_SETTINGS[target.vendor].apiKey;
  const key = values[keyVariable];
  if (typeof key !== 'string' || key === '') {
    throw new ProviderSettingError(`${target.vendor} is configured but ${keyVariable} is not set`);
  }
  if (!prices.priceOf(target.model)) {
    throw new ProviderSettingError(`no price is known for model "${target.model}": add it to LLM_PRICES`);
  }
}

/** Bad prices are reported on LLM_PRICES itself; here they just do not count. */
function parsePricesOrNone(value: unknown) {
  try {
    return typeof value === 'string' ? parsePriceOverrides(value) : {};
  } catch {
    return {};
  }
}
