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
  readonly tokens: number;
  /** In US dollars. */
  readonly cost: number;
}

export interface AnalysisOutcome {
  /** The results, shaped for the profile version's output schema (checked by the caller). */
  readonly output: Record<string, unknown>;
  readonly usage: AnalysisUsage;
}

/**
 * Turns a transcript into a profile's results. The built-in offline analyzer is the one
 * implementation today; LLM providers target the same schemas behind this interface.
 */
export interface AnalysisProvider {
  readonly name: string;
  analyze(request: AnalysisRequest): Promise<AnalysisOutcome>;
}

export const ANALYSIS_PROVIDER = Symbol('ANALYSIS_PROVIDER');
