import type { Transcript } from '@scriptripper/analysis';

/** A user's question about one job's transcript. */
export interface PromptQuestion {
  readonly transcript: Transcript;
  readonly prompt: string;
}

/** A passage the answer rests on; `quote` occurs verbatim (whitespace aside) in the transcript. */
export interface PromptCitation {
  readonly quote: string;
  readonly speaker: string;
  readonly start_ms: number;
}

export interface PromptAnswerUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  /** In US dollars; 0 offline. */
  readonly cost: number;
  /** `offline`, or `openai` / `anthropic` / `gemini` and the model that answered. */
  readonly provider: string;
  readonly model: string | null;
}

export interface PromptAnswer {
  readonly answer_markdown: string;
  readonly citations: readonly PromptCitation[];
  readonly usage: PromptAnswerUsage;
}

/**
 * Answers a custom prompt over a transcript: the offline BM25 answerer, or the configured LLM
 * chain (which checks every citation's quote against the transcript and drops made-up ones).
 * `configuredPromptAnswerer` (configured-providers.ts) picks one from the worker's settings.
 */
export interface PromptAnswerer {
  readonly name: string;
  answer(question: PromptQuestion): Promise<PromptAnswer>;
}

export const PROMPT_ANSWERER = Symbol('PROMPT_ANSWERER');
