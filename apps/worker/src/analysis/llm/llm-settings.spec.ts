import { loadConfig } from '@scriptripper/config';
import { WorkerConfig } from '../../config';
import { chainFor, parseChainsByProfile, parseProviderChain, targetName } from './llm-settings';

describe('provider chains', () => {
  it('reads a chain in order, and an empty one as the offline analyzer alone', () => {
    expect(parseProviderChain('openai:gpt-4o-mini, anthropic:claude-3-5-haiku-latest,offline')).toEqual([
      { vendor: 'openai', model: 'gpt-4o-mini' },
      { vendor: 'anthropic', model: 'claude-3-5-haiku-latest' },
      { vendor: 'offline' },
    ]);
    expect(parseProviderChain(undefined)).toEqual([{ vendor: 'offline' }]);
    expect(parseProviderChain(' ')).toEqual([{ vendor: 'offline' }]);
  });

  it('refuses an unknown vendor or a vendor without a model', () => {
    expect(() => parseProviderChain('mistral:large')).toThrow('"mistral:large" names no provider');
    expect(() => parseProviderChain('openai')).toThrow('needs a model after the colon');
    expect(() => parseProviderChain('gemini:')).toThrow('needs a model after the colon');
  });

  it('picks a profile version’s chain over its key’s, and the default chain otherwise', () => {
    const byProfile = parseChainsByProfile(
      'meeting@2=anthropic:claude-3-5-haiku-latest; meeting=gemini:gemini-2.0-flash;talk=offline',
    );
    const defaults = parseProviderChain('openai:gpt-4o-mini');
    const names = (key: string, version: number) =>
      chainFor({ key, version }, defaults, byProfile).map(targetName);
    expect(names('meeting', 2)).toEqual(['anthropic:claude-3-5-haiku-latest']);
    expect(names('meeting', 1)).toEqual(['gemini:gemini-2.0-flash']);
    expect(names('talk', 3)).toEqual(['offline']);
    expect(names('tasks', 1)).toEqual(['openai:gpt-4o-mini']);
  });

  it('refuses a malformed or repeated profile rule', () => {
    expect(() => parseChainsByProfile('meeting')).toThrow(
      'must read <profile key>[@<version>]=<provider chain>',
    );
    expect(() => parseChainsByProfile('meeting=offline;meeting=offline')).toThrow('"meeting" is given twice');
    expect(() => parseChainsByProfile('meeting=')).toThrow('names no provider');
  });
});

describe('WorkerConfig provider settings', () => {
  const base = { REDIS_URL: 'redis://127.0.0.1:6379', BLOB_ROOT: '/tmp/blobs' };

  it('runs offline with nothing configured', () => {
    const config = loadConfig(WorkerConfig, base);
    expect(config.ANALYSIS_PROVIDERS).toBeUndefined();
    expect(config.LLM_TIMEOUT_MS).toBe(60_000);
    expect(config.LLM_MAX_RETRIES).toBe(2);
  });

  it('refuses a vendor without its key and an unpriced model, never printing a key', () => {
    expect(() => loadConfig(WorkerConfig, { ...base, ANALYSIS_PROVIDERS: 'openai:gpt-4o-mini' })).toThrow(
      'ANALYSIS_PROVIDERS: openai is configured but OPENAI_API_KEY is not set',
    );
    let message = '';
    try {
      loadConfig(WorkerConfig, {
        ...base,
        ANALYSIS_PROVIDER_BY_PROFILE: 'talk=anthropic:claude-mystery-9',
        ANTHROPIC_API_KEY: 'sk-ant-secret-123',
        OPENAI_API_KEY: 'x',
        OPENAI_BASE_URL: 'not a url',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('no price is known for model "claude-mystery-9": add it to LLM_PRICES');
    expect(message).toContain('OPENAI_BASE_URL: must be an http(s) URL');
    expect(message).not.toContain('sk-ant-secret-123');
  });

  it('accepts a model priced through LLM_PRICES, and refuses malformed prices', () => {
    const config = loadConfig(WorkerConfig, {
      ...base,
      ANALYSIS_PROVIDERS: 'anthropic:claude-mystery-9',
      ANTHROPIC_API_KEY: 'k',
      LLM_PRICES: '{"claude-mystery-9": {"input": 1, "output": 2}}',
    });
    expect(config.ANALYSIS_PROVIDERS).toBe('anthropic:claude-mystery-9');
    expect(() =>
      loadConfig(WorkerConfig, { ...base, LLM_PRICES: '{"m": {"input": -1, "output": 2}}' }),
    ).toThrow('LLM_PRICES: "m" needs "input" and "output" prices of at least 0');
  });
});
