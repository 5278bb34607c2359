import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import {
  APICallError,
  generateText,
  jsonSchema,
  NoObjectGeneratedError,
  Output,
  type LanguageModel,
  type ModelMessage,
} from 'ai';
import { OutputSchemaValidator } from '../../results/output-schema.validator';
import type { LlmVendor } from './llm-settings';
import { toAnthropicSchema, toGeminiSchema, toOpenAiSchema, type JsonSchema } from './schema-dialects';

// The SDK would print its warnings with console.warn, outside the service's JSON logs.
(globalThis as { AI_SDK_LOG_WARNINGS?: unknown }).AI_SDK_LOG_WARNINGS = false;

/** How one vendor is reached: its key from configuration and, optionally, another endpoint. */
export interface VendorEndpoint {
  readonly apiKey: string;
  readonly baseUrl?: string;
}

/** How hard one vendor is tried before the chain moves on. */
export interface CallPolicy {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseMs: number;
  /** A `retry-after` longer than this is not waited for: the next provider is tried instead. */
  readonly maxRetryAfterMs: number;
}

/** A structured question: the answer must be JSON satisfying `schema` (full JSON Schema). */
export interface StructuredRequest {
  readonly system: string;
  readonly prompt: string;
  readonly schema: JsonSchema;
  /** Names the schema in the validator's cache; the same name must always mean the same schema. */
  readonly schemaKey: string;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** A vendor that could not give a valid answer; `usage` is what was spent trying, still billed. */
export class LlmCallFailed extends Error {
  override readonly name = 'LlmCallFailed';

  constructor(
    message: string,
    /** Whether trying again later may help (timeouts, rate limits, outages), unlike a refused key. */
    readonly retryable: boolean,
    readonly usage: TokenUsage,
  ) {
    super(message);
  }
}

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One raw exchange's outcome: the text, the parsed value or why it is not valid. */
interface Attempt {
  readonly text: string;
  readonly value?: Record<string, unknown>;
  readonly problems?: string;
}

/**
 * One vendor and model through the Vercel AI SDK: structured output against the schema in the
 * vendor's dialect, a per-request timeout, retries with exponential backoff on timeouts, 408,
 * 429 and 5xx (a `retry-after` wins), and one repair round when the answer is not valid JSON
 * or does not satisfy the schema (the problems are sent back). Error messages carry the
 * vendor's status and message only, never the request (its headers hold the key).
 */
export class LlmClient {
  private readonly model: LanguageModel;

  constructor(
    readonly vendor: LlmVendor,
    readonly modelId: string,
    endpoint: VendorEndpoint,
    private readonly policy: CallPolicy,
    private readonly validator: OutputSchemaValidator,
    private readonly sleep: Sleep = realSleep,
  ) {
    this.model = languageModelOf(vendor, modelId, endpoint);
  }

  async generate(request: StructuredRequest): Promise<{ value: Record<string, unknown>; usage: TokenUsage }> {
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    const messages: ModelMessage[] = [{ role: 'user', content: request.prompt }];
    const first = await this.attempt(request, messages, usage);
    if (first.value) return { value: first.value, usage };

    const repaired = await this.attempt(
      request,
      [
        ...messages,
        { role: 'assistant', content: first.text },
        {
          role: 'user',
          content:
            `That answer is not valid: ${first.problems}. Answer again with the corrected JSON only, ` +
            'keeping every quote verbatim from the transcript.',
        },
      ],
      usage,
    );
    if (repaired.value) return { value: repaired.value, usage };
    throw new LlmCallFailed(
      `${this.vendor}:${this.modelId} gave no valid answer after one repair: ${repaired.problems}`,
      false,
      usage,
    );
  }

  /** One exchange, retried on transient failures; its usage is added to `usage`. */
  private async attempt(
    request: StructuredRequest,
    messages: ModelMessage[],
    usage: TokenUsage,
  ): Promise<Attempt> {
    const { schema, providerOptions } = dialectOf(this.vendor, request.schema);
    for (let retry = 0; ; retry += 1) {
      try {
        const result = await generateText({
          model: this.model,
          system: request.system,
          messages,
          output: Output.object({ schema: jsonSchema(schema), name: 'answer' }),
          providerOptions,
          maxRetries: 0,
          abortSignal: AbortSignal.timeout(this.policy.timeoutMs),
        });
        addUsage(usage, result.usage);
        const value = result.output as Record<string, unknown>;
        const problems = this.validator.problemsOf(
          { key: request.schemaKey, version: 0, schema: request.schema },
          value,
        );
        return problems ? { text: result.text, problems } : { text: result.text, value };
      } catch (error) {
        if (NoObjectGeneratedError.isInstance(error)) {
          addUsage(usage, error.usage);
          return { text: error.text ?? '', problems: `it is not valid JSON (${error.message})` };
        }
        const failure = this.failureOf(error, usage);
        const delayMs = failure.retryable ? this.delayBefore(retry, error) : undefined;
        if (delayMs === undefined) throw failure;
        await this.sleep(delayMs);
      }
    }
  }

  /** How long to wait before retry number `retry + 1`, or undefined when the retries are spent. */
  private delayBefore(retry: number, error: unknown): number | undefined {
    if (retry >= this.policy.maxRetries) return undefined;
    const asked = APICallError.isInstance(error) ? retryAfterMs(error.responseHeaders) : undefined;
    if (asked !== undefined) return asked <= this.policy.maxRetryAfterMs ? asked : undefined;
    return this.policy.retryBaseMs * 2 ** retry;
  }

  private failureOf(error: unknown, usage: TokenUsage): LlmCallFailed {
    const name = `${this.vendor}:${this.modelId}`;
    if (isTimeout(error)) {
      return new LlmCallFailed(`${name} did not answer within ${this.policy.timeoutMs} ms`, true, usage);
    }
    if (APICallError.isInstance(error)) {
      const status = error.statusCode;
      const retryable =
        status === undefined ? error.isRetryable : status === 408 || status === 429 || status >= 500;
      return new LlmCallFailed(`${name} answered ${status ?? 'nothing'}: ${error.message}`, retryable, usage);
    }
    const message = error instanceof Error ? error.message : String(error);
    return new LlmCallFailed(`${name} failed: ${message}`, false, usage);
  }
}

function languageModelOf(vendor: LlmVendor, modelId: string, endpoint: VendorEndpoint): LanguageModel {
  const settings = { apiKey: endpoint.apiKey, ...(endpoint.baseUrl ? { baseURL: endpoint.baseUrl } : {}) };
  switch (vendor) {
    // Chat completions rather than the responses API: every OpenAI-compatible server speaks it.
    case 'openai':
      return createOpenAI(settings).chat(modelId);
    case 'anthropic':
      return createAnthropic(settings)(modelId);
    case 'gemini':
      return createGoogleGenerativeAI(settings)(modelId);
  }
}

function dialectOf(
  vendor: LlmVendor,
  schema: JsonSchema,
): { schema: JsonSchema; providerOptions: Record<string, Record<string, boolean>> } {
  switch (vendor) {
    case 'openai': {
      const adapted = toOpenAiSchema(schema);
      return { schema: adapted.schema, providerOptions: { openai: { strictJsonSchema: adapted.strict } } };
    }
    case 'anthropic':
      return { schema: toAnthropicSchema(schema), providerOptions: {} };
    case 'gemini':
      return { schema: toGeminiSchema(schema), providerOptions: {} };
  }
}

function addUsage(
  total: TokenUsage,
  usage: { inputTokens?: number; outputTokens?: number } | undefined,
): void {
  total.inputTokens += usage?.inputTokens ?? 0;
  total.outputTokens += usage?.outputTokens ?? 0;
}

/** By name: the DOMException fetch throws may come from another realm (Jest's), failing `instanceof Error`. */
function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** `retry-after-ms`, or `retry-after` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(
  headers: Record<string, string> | undefined,
  now = Date.now(),
): number | undefined {
  const milliseconds = Number(headers?.['retry-after-ms']);
  if (headers?.['retry-after-ms'] !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0) {
    return milliseconds;
  }
  const value = headers?.['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1_000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
