import type { WorkerConfig } from '../../config';
import type { CallPolicy, VendorEndpoint } from './llm-client';
import { VENDOR_SETTINGS } from './llm-config-check';
import {
  LLM_VENDORS,
  parseChainsByProfile,
  parseProviderChain,
  type LlmVendor,
  type ProviderTarget,
} from './llm-settings';
import { parsePriceOverrides, PriceTable } from './price-table';

/** Everything the provider chains need, read once from the validated config. */
export interface ProviderSettings {
  readonly chain: readonly ProviderTarget[];
  readonly byProfile: ReadonlyMap<string, readonly ProviderTarget[]>;
  readonly policy: CallPolicy;
  readonly prices: PriceTable;
  readonly endpoints: Readonly<Partial<Record<LlmVendor, VendorEndpoint>>>;
}

/** A `retry-after` longer than a minute is not waited out: another provider answers sooner. */
const MAX_RETRY_AFTER_MS = 60_000;

export function providerSettingsOf(config: WorkerConfig): ProviderSettings {
  const values = config as unknown as Record<string, string | undefined>;
  const endpoints: Partial<Record<LlmVendor, VendorEndpoint>> = {};
  for (const vendor of LLM_VENDORS) {
    const apiKey = values[VENDOR_SETTINGS[vendor].apiKey];
    const baseUrl = values[VENDOR_SETTINGS[vendor].baseUrl];
    if (apiKey) endpoints[vendor] = { apiKey, ...(baseUrl ? { baseUrl } : {}) };
  }
  return {
    chain: parseProviderChain(config.ANALYSIS_PROVIDERS),
    byProfile: parseChainsByProfile(config.ANALYSIS_PROVIDER_BY_PROFILE),
    policy: {
      timeoutMs: config.LLM_TIMEOUT_MS,
      maxRetries: config.LLM_MAX_RETRIES,
      retryBaseMs: config.LLM_RETRY_BASE_MS,
      maxRetryAfterMs: MAX_RETRY_AFTER_MS,
    },
    prices: new PriceTable(parsePriceOverrides(config.LLM_PRICES)),
    endpoints,
  };
}

/** Whether any chain names an LLM; when none does, the offline analyzer runs exactly as it always has. */
export function usesLlm(settings: Pick<ProviderSettings, 'chain' | 'byProfile'>): boolean {
  return [settings.chain, ...settings.byProfile.values()].some((chain) =>
    chain.some((target) => target.vendor !== 'offline'),
  );
}
