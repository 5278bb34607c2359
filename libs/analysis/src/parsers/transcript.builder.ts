import {
  Segment,
  SourceOffset,
  Speaker,
  Transcript,
  TranscriptFlag,
  TranscriptFormat,
  UNKNOWN_SPEAKER_ID,
  UNKNOWN_SPEAKER_LABEL,
} from '../transcript';
import { TranscriptParseError, TranscriptParseErrorCodes } from '../transcript-parse.error';

/** A segment as a parser read it, before ids and speakers are assigned. */
export interface SegmentDraft {
  startMs: number;
  endMs: number;
  speaker: string | null;
  text: string;
  sourceOffset: SourceOffset | null;
  /** Where it came from, for error messages: `line 12`, `segments[3]`. */
  where: string;
}

export interface TranscriptLimits {
  maxSourceChars: number;
  maxSegments: number;
}

export const DEFAULT_TRANSCRIPT_LIMITS: TranscriptLimits = {
  maxSourceChars: 5_000_000,
  maxSegments: 50_000,
};

export interface BuildOptions {
  format: TranscriptFormat;
  language?: string;
  flags?: TranscriptFlag[];
  limits: TranscriptLimits;
}

/** Turns drafts into the segment model: validates times, drops empty text, numbers segments and speakers. */
export function buildTranscript(drafts: SegmentDraft[], options: BuildOptions): Transcript {
  const speakers = new Map<string, Speaker>();
  const segments: Segment[] = [];
  for (const draft of drafts) {
    const text = normaliseSpace(draft.text);
    if (text === '') continue;
    checkTimes(draft);
    if (segments.length >= options.limits.maxSegments) {
      throw new TranscriptParseError(
        TranscriptParseErrorCodes.tooLarge,
        `The transcript has more than ${options.limits.maxSegments} segments.`,
      );
    }
    const speaker = speakerFor(draft.speaker, speakers);
    segments.push({
      id: `s${segments.length + 1}`,
      startMs: Math.round(draft.startMs),
      endMs: Math.round(draft.endMs),
      speakerId: speaker.id,
      speakerLabel: speaker.label,
      text,
      sourceOffset: draft.sourceOffset,
    });
  }
  if (segments.length === 0) {
    throw new TranscriptParseError(TranscriptParseErrorCodes.empty, 'The transcript has no spoken text.');
  }
  return {
    format: options.format,
    ...(options.language ? { language: options.language } : {}),
    segments,
    speakers: [...speakers.values()],
    durationMs: Math.max(...segments.map((segment) => segment.endMs)),
    flags: options.flags ?? [],
  };
}

function checkTimes(draft: SegmentDraft): void {
  const { startMs, endMs, where } = draft;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) {
    throw unparseable(`${where}: the start and end times must be numbers.`);
  }
  if (startMs < 0 || endMs < 0) throw unparseable(`${where}: a time is negative.`);
  if (endMs < startMs) throw unparseable(`${where}: the end time is before the start time.`);
}

function speakerFor(label: string | null, speakers: Map<string, Speaker>): Speaker {
  const name = label === null ? '' : normaliseSpace(label);
  const key = name === '' ? UNKNOWN_SPEAKER_ID : name.toLocaleLowerCase('en');
  let speaker = speakers.get(key);
  if (!speaker) {
    const known = [...speakers.values()].filter((existing) => existing.id !== UNKNOWN_SPEAKER_ID).length;
    speaker =
      name === ''
        ? { id: UNKNOWN_SPEAKER_ID, label: UNKNOWN_SPEAKER_LABEL }
        : { id: `spk${known + 1}`, label: name };
    speakers.set(key, speaker);
  }
  return speaker;
}

function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function unparseable(message: string): TranscriptParseError {
  return new TranscriptParseError(TranscriptParseErrorCodes.unparseable, message);
}
