/** Transcript formats the parsers understand. */
export const TRANSCRIPT_FORMATS = [
  'webvtt',
  'srt',
  'whisper-json',
  'assemblyai-json',
  'deepgram-json',
  'segments-json',
  'plain',
  'otter',
] as const;

export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

/** Characters of the original source a segment came from (end exclusive). */
export interface SourceOffset {
  start: number;
  end: number;
}

export interface Segment {
  /** 's1', 's2', ... in transcript order; stable for the same source. */
  id: string;
  startMs: number;
  endMs: number;
  speakerId: string;
  speakerLabel: string;
  text: string;
  /** Null only when a JSON source hides its text fields behind escapes we do not follow. */
  sourceOffset: SourceOffset | null;
}

export interface Speaker {
  /** 'spk1', 'spk2', ... in order of first appearance, or UNKNOWN_SPEAKER_ID. */
  id: string;
  label: string;
}

/** Why a transcript is less exact than its source suggests. */
export type TranscriptFlag = 'synthetic-timings';

export interface Transcript {
  format: TranscriptFormat;
  language?: string;
  segments: Segment[];
  speakers: Speaker[];
  durationMs: number;
  flags: TranscriptFlag[];
}

export const UNKNOWN_SPEAKER_ID = 'unknown';
export const UNKNOWN_SPEAKER_LABEL = 'Unknown speaker';
