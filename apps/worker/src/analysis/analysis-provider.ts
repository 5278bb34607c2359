import type { Transcript } from '@scriptripper/analysis';
import type { ResolvedProfile } from '@scriptripper/contracts';

/** What a provider is asked: one transcript through one pinned profile version. */
export interface AnalysisRequest {
  readonly transcript: Transcript;
  readonly profile: ResolvedProfile;
  /** `YYYY-MM-DD`, so due phrases can become dates; null when unknown. */
  readonly meetingDate: string | null;
}

export interface AnalysisUsage {
  /** Words of the transcript the provider read. */
  readonly words: number;
  /** Input plus output tokens, over every model tried (failed tries are billed too). */
  readonly tokens: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  /** In US dollars, by the price table. */
  readonly cost: number;
  /** Who answered: `offline`, `openai`, `anthropic` or `gemini`, and its model (null offline). */
  readonly provider: string;
  readonly model: string | null;
  /** Items dropped because an evidence quote was not in the transcript verbatim. */
  readonly dropped_items: number;
}

export interface AnalysisOutcome {
  /** The results, shaped for the profile version's output schema (checked by the caller). */
  readonly output: Record<string, unknown>;
  readonly usage: AnalysisUsage;
}

/**
 * Turns a transcript into a profile's results: the built-in offline analyzer, or the configured
 * LLM provider chain (`ChainAnalysisProvider`), both targeting the profile's schema.
 */
export interface AnalysisProvider {
  readonly name: string;
  analyze(request: AnalysisRequest): Promise<AnalysisOutcome>;
}

export const ANALYSIS_PROVIDER = Symbol('ANALYSIS_PROVIDER');
