import type { WorkerConfig } from '../config';
import type { AnalysisProvider } from './analysis-provider';
import { ChainAnalysisProvider } from './llm/chain-analysis.provider';
import { LlmChain } from './llm/llm-chain';
import { LlmPromptAnswerer } from './llm/llm-prompt-answerer';
import { providerSettingsOf, usesLlm } from './llm/provider-settings';
import { OfflineAnalysisProvider } from './offline-analysis.provider';
import type { PromptAnswerer } from './prompt-answerer';

/**
 * The analysis provider the configuration asks for: with no LLM in any chain (the default),
 * the offline analyzer exactly as before; otherwise the chains of `ANALYSIS_PROVIDERS` and
 * `ANALYSIS_PROVIDER_BY_PROFILE`.
 */
export function configuredAnalysisProvider(config: WorkerConfig): AnalysisProvider {
  const settings = providerSettingsOf(config);
  if (!usesLlm(settings)) return new OfflineAnalysisProvider();
  return new ChainAnalysisProvider(settings, new LlmChain(settings));
}

/**
 * The custom-prompt answerer the configuration asks for: `offline` (the BM25 answerer) when
 * `ANALYSIS_PROVIDERS` names no LLM, else that chain, with `offline` links answered by it.
 */
export function configuredPromptAnswerer(config: WorkerConfig, offline: PromptAnswerer): PromptAnswerer {
  const settings = providerSettingsOf(config);
  if (!usesLlm({ chain: settings.chain, byProfile: new Map() })) return offline;
  return new LlmPromptAnswerer(settings.chain, new LlmChain(settings), offline);
}
