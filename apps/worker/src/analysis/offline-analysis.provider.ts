import { Injectable } from '@nestjs/common';
import {
  analyze,
  type AnalysisItem,
  type AnalysisProfile,
  type AnalysisResult,
  type SpeakerStatistics,
  type TaskItem,
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
 * The analyzer's result in the shape the profile schemas describe: items are
 * `{ text, evidence }` (tasks add `owner` and `due`), speakers are `speaker_statistics`,
 * and the profile version and transcript facts ride along as metadata.
 */
export function profileOutputOf(
  result: AnalysisResult,
  profile: Pick<ResolvedProfile, 'key' | 'version'>,
): Record<string, unknown> {
  const sections: Record<string, unknown> = {
    summary: result.summary?.map(itemOf),
    decisions: result.decisions?.map(itemOf),
    tasks: result.tasks?.map(taskOf),
    highlights: result.highlights?.map(itemOf),
    key_points: result.key_points?.map(itemOf),
    quotables: result.quotables?.map(itemOf),
    topics: result.topics?.map(itemOf),
    keyphrases: result.keyphrases?.map(({ text, count, evidence }) => ({ text, count, evidence })),
    speaker_statistics: result.speaker_stats?.map(speakerRowOf),
  };
  return {
    profile: { key: profile.key, version: profile.version },
    analyzer: result.profile,
    transcript: result.transcript,
    ...Object.fromEntries(Object.entries(sections).filter(([, value]) => value !== undefined)),
  };
}

function itemOf(item: AnalysisItem) {
  return { text: item.text, evidence: item.evidence };
}

function taskOf(task: TaskItem) {
  return { text: task.text, owner: task.owner, due: task.due, evidence: task.evidence };
}

function speakerRowOf(row: SpeakerStatistics) {
  return {
    speaker: row.speaker,
    talk_time_ms: row.talk_time_ms,
    share: row.share,
    turns: row.turns,
    words: row.words,
    // A speaker with no measured talk time spoke no words per minute the schemas could hold.
    words_per_minute: row.words_per_minute ?? 0,
    questions: row.questions,
  };
}
