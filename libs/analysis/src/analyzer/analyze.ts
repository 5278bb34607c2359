import { Transcript, UNKNOWN_SPEAKER_ID } from '../transcript';
import { AnalysisProfile, AnalysisResult } from './analysis-result';
import { decisionsOf } from './decisions';
import { meetingDateOf } from './due-date';
import { asItem, highlightsOf, quotablesOf, summaryCount, topSentences } from './highlights';
import { keyphrasesOf, topicsOf } from './keyphrases';
import { sentencesOf, wordCount } from './sentences';
import { speakerStatsOf } from './speaker-stats';
import { tasksOf } from './tasks';
import { textRank } from './text-rank';

export interface AnalyzeOptions {
  profile: AnalysisProfile;
  /** YYYY-MM-DD; due phrases get dates only when it is given. */
  meetingDate?: string;
}

/**
 * The built-in offline analyzer. Deterministic: no clock, no randomness, stable orders, so
 * the same transcript and options give byte-identical JSON.
 */
export function analyze(transcript: Transcript, options: AnalyzeOptions): AnalysisResult {
  const meetingDate = meetingDateOf(options.meetingDate);
  // Speakers' names are who talks, not what about.
  const names = new Set(
    transcript.speakers
      .filter((speaker) => speaker.id !== UNKNOWN_SPEAKER_ID)
      .flatMap((speaker) => speaker.label.toLowerCase().split(/\s+/)),
  );
  const sentences = sentencesOf(transcript, names);
  const result: AnalysisResult = {
    profile: options.profile,
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
  if (options.profile === 'tasks') {
    result.decisions = decisionsOf(sentences);
    result.tasks = tasksOf(sentences, { speakers: transcript.speakers, meetingDate });
    return result;
  }
  const scores = textRank(sentences);
  const summary = topSentences(sentences, scores, summaryCount(sentences.length));
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
  result.decisions = decisionsOf(sentences);
  result.tasks = tasksOf(sentences, { speakers: transcript.speakers, meetingDate });
  result.quotables = quotablesOf(sentences, scores, 3);
  result.topics = topicsOf(keyphrases, 5);
  result.keyphrases = keyphrases;
  result.speaker_stats = speakerStatsOf(transcript, sentences);
  return result;
}
