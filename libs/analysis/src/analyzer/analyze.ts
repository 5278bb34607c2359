import { Transcript, UNKNOWN_SPEAKER_ID } from '../transcript';
import { AnalysisProfile, AnalysisResult, CappedSection, TaskItem } from './analysis-result';
import { decisionsOf } from './decisions';
import { meetingDateOf } from './due-date';
import { asItem, highlightsOf, quotablesOf, summaryCount, topSentences } from './highlights';
import { keyphrasesOf, topicsOf } from './keyphrases';
import { Found, Sentence, isQuestion, sentencesOf, wordCount } from './sentences';
import { speakerStatsOf } from './speaker-stats';
import { tasksOf } from './tasks';
import { textRank } from './text-rank';

/** Decisions and tasks listed at most by default: enough for a long meeting, bounded for any input. */
export const DEFAULT_MAX_DECISIONS = 50;
export const DEFAULT_MAX_TASKS = 50;

export interface AnalyzeOptions {
  profile: AnalysisProfile;
  /** YYYY-MM-DD; due phrases get dates only when it is given. */
  meetingDate?: string;
  /** Most decisions listed (the best-ranked, in transcript order); a positive integer. */
  maxDecisions?: number;
  /** Most tasks listed (the best-ranked, in transcript order); a positive integer. */
  maxTasks?: number;
}

/**
 * The built-in offline analyzer. Deterministic: no clock, no randomness, stable orders, so
 * the same transcript and options give byte-identical JSON. The result has the shape of the
 * built-in profiles' output schemas (see `analysis-result.ts`).
 */
export function analyze(transcript: Transcript, options: AnalyzeOptions): AnalysisResult {
  const meetingDate = meetingDateOf(options.meetingDate);
  const caps: Record<CappedSection, number> = {
    decisions: capOf('maxDecisions', options.maxDecisions, DEFAULT_MAX_DECISIONS),
    tasks: capOf('maxTasks', options.maxTasks, DEFAULT_MAX_TASKS),
  };
  // Speakers' names are who talks, not what about.
  const names = new Set(
    transcript.speakers
      .filter((speaker) => speaker.id !== UNKNOWN_SPEAKER_ID)
      .flatMap((speaker) => speaker.label.toLowerCase().split(/\s+/)),
  );
  const sentences = sentencesOf(transcript, names);
  const result: AnalysisResult = {
    analyzer: options.profile,
    transcript: {
      format: transcript.format,
      language: transcript.language ?? null,
      duration_ms: transcript.durationMs,
      segments: transcript.segments.length,
      speakers: transcript.speakers.length,
      words: transcript.segments.reduce((sum, segment) => sum + wordCount(segment.text), 0),
      flags: [...transcript.flags],
    },
  };
  const scores = textRank(sentences);
  const tasks = tasksOf(sentences, { speakers: transcript.speakers, meetingDate });
  const capped = <T>(section: CappedSection, found: Found<T>[], rank: (item: Found<T>) => number): T[] => {
    const { kept, truncation } = cappedList(found, caps[section], rank);
    if (truncation) result.truncated = { ...result.truncated, [section]: truncation };
    return kept;
  };
  const decisionsAndTasks = () => {
    result.decisions = capped(
      'decisions',
      decisionsOf(sentences),
      ({ sentence }) => scores[sentence.index] ?? 0,
    );
    result.tasks = capped(
      'tasks',
      tasks,
      (found) => (scores[found.sentence.index] ?? 0) * taskWeight(found.item),
    );
  };
  if (options.profile === 'tasks') {
    decisionsAndTasks();
    return result;
  }
  const summary = topSentences(
    sentences,
    scores,
    summaryCount(sentences.length),
    notSummaryMaterial(sentences, tasks),
  );
  const inSummary = new Set(summary.map((sentence) => sentence.index));
  const keyphrases = keyphrasesOf(sentences, names, 12);
  result.summary = summary.map(asItem);
  if (options.profile === 'talk') {
    result.key_points = highlightsOf(sentences, scores, 5, inSummary);
    result.quotables = quotablesOf(sentences, scores, 3);
    result.topics = topicsOf(keyphrases, 5);
    return result;
  }
  result.highlights = highlightsOf(sentences, scores, 5, inSummary);
  decisionsAndTasks();
  result.quotables = quotablesOf(sentences, scores, 3);
  result.topics = topicsOf(keyphrases, 5);
  result.keyphrases = keyphrases;
  result.speaker_statistics = speakerStatsOf(transcript, sentences);
  return result;
}

/**
 * A summary says what the meeting was about and decided: tasks ("Bob, please send ...") and
 * questions are listed elsewhere or settle nothing, so they are left out while any other
 * sentence long enough to summarise remains.
 */
function notSummaryMaterial(sentences: Sentence[], tasks: Found<TaskItem>[]): ReadonlySet<number> {
  const excluded = new Set([
    ...tasks.map(({ sentence }) => sentence.index),
    ...sentences.filter(isQuestion).map((sentence) => sentence.index),
  ]);
  const othersExist = sentences.some(
    (sentence) => !excluded.has(sentence.index) && wordCount(sentence.text) >= 4,
  );
  return othersExist ? excluded : new Set();
}

/** A task someone owns, or that has a due phrase, matters more than one nobody took on. */
function taskWeight(task: TaskItem): number {
  return 1 + (task.owner.resolved ? 1 : 0) + (task.due.phrase !== null ? 1 : 0);
}

/** The `cap` best-ranked items (ties: earlier first) back in transcript order, and what was cut. */
function cappedList<T>(found: Found<T>[], cap: number, rank: (item: Found<T>) => number) {
  if (found.length <= cap) return { kept: found.map(({ item }) => item), truncation: null };
  const kept = found
    .map((entry) => ({ entry, rank: rank(entry) }))
    .sort((a, b) => b.rank - a.rank || a.entry.sentence.index - b.entry.sentence.index)
    .slice(0, cap)
    .sort((a, b) => a.entry.sentence.index - b.entry.sentence.index)
    .map(({ entry }) => entry.item);
  return { kept, truncation: { kept: cap, found: found.length } };
}

function capOf(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, not ${String(value)}`);
  }
  return value;
}
