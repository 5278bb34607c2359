/**
 * The offline analyzer's output, in the shape the built-in profiles' output schemas describe
 * (`libs/contracts/src/built-in-profiles`): every item is `{ text, evidence }` (tasks add
 * `owner` and `due`), speakers are `speaker_statistics`. The worker adds only the profile
 * version it ran as; the transcript facts, keyphrases and truncation counts are metadata the
 * schemas allow beside their sections.
 */

/** Where an item was said: `quote` is an exact substring of that segment's text. */
export interface Evidence {
  segment_id: string;
  start_ms: number;
  end_ms: number;
  speaker: string;
  quote: string;
}

export interface Owner {
  name: string | null;
  resolved: boolean;
}

export interface Due {
  phrase: string | null;
  /** YYYY-MM-DD, only when the meeting date is known. */
  date: string | null;
}

export interface AnalysisItem {
  text: string;
  evidence: Evidence[];
}

export interface TaskItem extends AnalysisItem {
  owner: Owner;
  due: Due;
}

export interface KeyphraseItem extends AnalysisItem {
  count: number;
}

/** One row per speaker. */
export interface SpeakerStatistics {
  speaker: string;
  talk_time_ms: number;
  /** Of all talk time, 0..1, four decimals. */
  share: number;
  turns: number;
  words: number;
  /** 0 for a speaker with no measured talk time. */
  words_per_minute: number;
  questions: number;
}

/** A list cut to its cap: the best-ranked `kept` of the `found` items are listed. */
export interface Truncation {
  kept: number;
  found: number;
}

export type AnalysisProfile = 'meeting' | 'talk' | 'tasks';

/** The sections that are capped (`AnalyzeOptions.maxDecisions` / `maxTasks`). */
export type CappedSection = 'decisions' | 'tasks';

export interface AnalysisResult {
  /** The analyzer mode that produced the result. */
  analyzer: AnalysisProfile;
  transcript: {
    format: string;
    language: string | null;
    duration_ms: number;
    segments: number;
    speakers: number;
    words: number;
    flags: string[];
  };
  summary?: AnalysisItem[];
  highlights?: AnalysisItem[];
  key_points?: AnalysisItem[];
  decisions?: AnalysisItem[];
  tasks?: TaskItem[];
  quotables?: AnalysisItem[];
  topics?: AnalysisItem[];
  keyphrases?: KeyphraseItem[];
  speaker_statistics?: SpeakerStatistics[];
  /** Present only when a capped section found more items than it lists. */
  truncated?: Partial<Record<CappedSection, Truncation>>;
}
