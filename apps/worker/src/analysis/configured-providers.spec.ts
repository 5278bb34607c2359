import { loadConfig } from '@scriptripper/config';
import { WorkerConfig } from '../config';
import { configuredAnalysisProvider, configuredPromptAnswerer } from './configured-providers';
import { ChainAnalysisProvider } from './llm/chain-analysis.provider';
import { LlmPromptAnswerer } from './llm/llm-prompt-answerer';
import { OfflineAnalysisProvider } from './offline-analysis.provider';
import type { PromptAnswerer } from './prompt-answerer';

const base = { REDIS_URL: 'redis://127.0.0.1:6379', BLOB_ROOT: '/tmp/blobs' };
const bm25: PromptAnswerer = { name: 'offline', answer: () => Promise.reject(new Error('not called')) };

describe('the configured providers', () => {
  it('are the offline analyzer and answerer when no chain names an LLM', () => {
    for (const env of [
      base,
      { ...base, ANALYSIS_PROVIDERS: 'offline', ANALYSIS_PROVIDER_BY_PROFILE: 'talk=offline' },
    ]) {
      const config = loadConfig(WorkerConfig, env);
      expect(configuredAnalysisProvider(config)).toBeInstanceOf(OfflineAnalysisProvider);
      expect(configuredPromptAnswerer(config, bm25)).toBe(bm25);
    }
  });

  it('are the LLM chains when a chain names an LLM; prompts follow ANALYSIS_PROVIDERS only', () => {
    const byProfile = loadConfig(WorkerConfig, {
      ...base,
      ANALYSIS_PROVIDER_BY_PROFILE: 'talk=openai:gpt-4o-mini',
      OPENAI_API_KEY: 'k',
    });
    expect(configuredAnalysisProvider(byProfile)).toBeInstanceOf(ChainAnalysisProvider);
    expect(configuredPromptAnswerer(byProfile, bm25)).toBe(bm25);

    const everywhere = loadConfig(WorkerConfig, {
      ...base,
      ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini',
      OPENAI_API_KEY: 'k',
    });
    expect(configuredAnalysisProvider(everywhere)).toBeInstanceOf(ChainAnalysisProvider);
    expect(configuredPromptAnswerer(everywhere, bm25)).toBeInstanceOf(LlmPromptAnswerer);
  });
});
