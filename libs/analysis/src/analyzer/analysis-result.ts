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

export interface TimedItem extends AnalysisItem {
  start_ms: number;
  timestamp: string;
}

export interface TaskItem extends AnalysisItem {
  owner: Owner;
  due: Due;
}

export interface KeyphraseItem extends AnalysisItem {
  count: number;
}

export interface TopicItem extends AnalysisItem {
  keyphrases: string[];
}

export interface SpeakerStatistics {
  speaker_id: string;
  speaker: string;
  talk_time_ms: number;
  /** Of all talk time, 0..1, four decimals. */
  share: number;
  turns: number;
  words: number;
  words_per_minute: number | null;
  questions: number;
}

export type AnalysisProfile = 'meeting' | 'talk' | 'tasks';

export interface AnalysisResult {
  profile: AnalysisProfile;
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
  highlights?: TimedItem[];
  key_points?: TimedItem[];
  decisions?: AnalysisItem[];
  tasks?: TaskItem[];
  quotables?: AnalysisItem[];
  topics?: TopicItem[];
  keyphrases?: KeyphraseItem[];
  speaker_stats?: SpeakerStatistics[];
}
