import { Injectable } from '@nestjs/common';
import {
  analyze,
  type AnalysisProfile,
  type AnalysisResult,
  type AnalyzeOptions,
} from '@scriptripper/analysis';
import type { ResolvedProfile } from '@scriptripper/contracts';
import type { AnalysisOutcome, AnalysisProvider, AnalysisRequest } from './analysis-provider';

const ANALYZER_PROFILES: readonly AnalysisProfile[] = ['meeting', 'talk', 'tasks'];

/** The built-in analyzer: no network, no cost, and the same input always gives the same output. */
@Injectable()
export class OfflineAnalysisProvider implements AnalysisProvider {
  readonly name = 'offline';

  analyze(request: AnalysisRequest): Promise<AnalysisOutcome> {
    const result = analyze(request.transcript, {
      profile: analyzerProfileOf(request.profile),
      ...(request.meetingDate ? { meetingDate: request.meetingDate } : {}),
      ...capsOf(request.profile.parameters),
    });
    return Promise.resolve({
      output: profileOutputOf(result, request.profile),
      usage: {
        words: result.transcript.words,
        tokens: 0,
        input_tokens: 0,
        output_tokens: 0,
        cost: 0,
        provider: 'offline',
        model: null,
        dropped_items: 0,
      },
    });
  }
}

/**
 * Which of the analyzer's modes serves a profile: a built-in key names its own; another
 * profile picks one with its `analyzer` parameter, and is read as a meeting otherwise.
 */
export function analyzerProfileOf(profile: Pick<ResolvedProfile, 'key' | 'parameters'>): AnalysisProfile {
  const wanted = ANALYZER_PROFILES.find((mode) => mode === profile.key) ?? profile.parameters['analyzer'];
  return ANALYZER_PROFILES.find((mode) => mode === wanted) ?? 'meeting';
}

/**
 * The caps on decisions and tasks a profile version sets with its `max_decisions` and
 * `max_tasks` parameters; a value that is not a positive integer leaves the analyzer's default.
 */
export function capsOf(
  parameters: ResolvedProfile['parameters'],
): Pick<AnalyzeOptions, 'maxDecisions' | 'maxTasks'> {
  const positive = (value: unknown) =>
    Number.isInteger(value) && (value as number) > 0 ? (value as number) : undefined;
  const maxDecisions = positive(parameters['max_decisions']);
  const maxTasks = positive(parameters['max_tasks']);
  return {
    ...(maxDecisions === undefined ? {} : { maxDecisions }),
    ...(maxTasks === undefined ? {} : { maxTasks }),
  };
}

/**
 * The results document: the analyzer's result is already in the shape the built-in profile
 * schemas describe; the profile version it ran as rides along as metadata.
 */
export function profileOutputOf(
  result: AnalysisResult,
  profile: Pick<ResolvedProfile, 'key' | 'version'>,
): Record<string, unknown> {
  return { profile: { key: profile.key, version: profile.version }, ...result };
}
