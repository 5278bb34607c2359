import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, Min, ValidateBy } from 'class-validator';
import { Secret, ServiceConfig } from '@scriptripper/config';
import { problemOfChainSetting, problemOfPriceSetting } from './analysis/llm/llm-config-check';

/** The worker service's settings, read from the environment by `loadConfig`. */
export class WorkerConfig extends ServiceConfig {
  /** Root folder of the shared blob store (content-addressed files). */
  @IsString()
  @IsNotEmpty({ message: 'must name a folder' })
  BLOB_ROOT!: string;

  /**
   * The provider chain analyses run through, tried in order until one answers:
   * `openai:gpt-4o-mini,anthropic:claude-3-5-haiku-latest` (`offline` may close it). Unset:
   * the built-in offline analyzer alone, exactly as without LLMs. Custom prompts use it too.
   */
  @IsOptional()
  @ValidateBy({
    name: 'isProviderChain',
    validator: {
      validate: (_value, args) => problemOfChainSetting('ANALYSIS_PROVIDERS', args?.object) === null,
      defaultMessage: (args) => problemOfChainSetting('ANALYSIS_PROVIDERS', args?.object) ?? '',
    },
  })
  ANALYSIS_PROVIDERS?: string;

  /** Chains for some profiles or profile versions: `meeting@2=anthropic:claude-3-5-haiku-latest;talk=gemini:gemini-2.0-flash`. */
  @IsOptional()
  @ValidateBy({
    name: 'isChainsByProfile',
    validator: {
      validate: (_value, args) =>
        problemOfChainSetting('ANALYSIS_PROVIDER_BY_PROFILE', args?.object) === null,
      defaultMessage: (args) => problemOfChainSetting('ANALYSIS_PROVIDER_BY_PROFILE', args?.object) ?? '',
    },
  })
  ANALYSIS_PROVIDER_BY_PROFILE?: string;

  @Secret()
  @IsOptional()
  @IsString()
  OPENAI_API_KEY?: string;

  @Secret()
  @IsOptional()
  @IsString()
  ANTHROPIC_API_KEY?: string;

  @Secret()
  @IsOptional()
  @IsString()
  GOOGLE_GENERATIVE_AI_API_KEY?: string;

  /** Another endpoint speaking the vendor's API (a proxy, a compatible server; tests' fake server). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  OPENAI_BASE_URL?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  ANTHROPIC_BASE_URL?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  GOOGLE_BASE_URL?: string;

  /**
   * How long one LLM request may take before it counts as failed (and is retried). The jobs
   * service re-queues a running job after JOB_STALL_SECONDS without news; the worker's heartbeat
   * (JOB_HEARTBEAT_MS) is that news while the chain runs, however long it takes.
   */
  @Type(() => Number)
  @Min(100, { message: 'must be at least 100 (milliseconds)' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  LLM_TIMEOUT_MS = 60_000;

  /**
   * While a job is analysed, the worker tells jobs it is still on it this often (`jobs.heartbeat`),
   * so the watchdog leaves a long LLM chain alone. Keep it well below the jobs service's
   * JOB_STALL_SECONDS (120 s by default), at most a third of it, so a lost beat or two is no stall.
   */
  @Type(() => Number)
  @Min(1_000, { message: 'must be at least 1000 (milliseconds)' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  JOB_HEARTBEAT_MS = 30_000;

  /** Retries of one provider after a timeout, 408, 429 or 5xx, before the next provider is tried. */
  @Type(() => Number)
  @Min(0, { message: 'must be between 0 and 10' })
  @Max(10, { message: 'must be between 0 and 10' })
  @IsInt({ message: 'must be a whole number' })
  LLM_MAX_RETRIES = 2;

  /** First backoff before a retry; it doubles each time. A `retry-after` from the vendor wins. */
  @Type(() => Number)
  @Min(0, { message: 'must be at least 0 (milliseconds)' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  LLM_RETRY_BASE_MS = 1_000;

  /** Price overrides and additions, USD per 1M tokens: `{"gpt-4o-mini": {"input": 0.15, "output": 0.6}}`. */
  @IsOptional()
  @ValidateBy({
    name: 'isPriceTable',
    validator: {
      validate: (value) => problemOfPriceSetting(value) === null,
      defaultMessage: (args) => problemOfPriceSetting(args?.value) ?? '',
    },
  })
  LLM_PRICES?: string;
}
