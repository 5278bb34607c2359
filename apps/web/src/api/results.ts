// What a job's results.json and transcript.json hold (libs/analysis: AnalysisResult and
// Transcript). A profile's output schema may add sections, so every field is read defensively.

export interface Evidence {
  segment_id: string;
  start_ms: number;
  end_ms: number;
  speaker: string;
  quote: string;
}

export interface ResultItem {
  text: string;
  evidence: Evidence[];
  owner?: { name: string | null; resolved: boolean };
  due?: { phrase: string | null; date: string | null };
  count?: number;
}

export interface SpeakerStatistics {
  speaker: string;
  talk_time_ms: number;
  share: number;
  turns: number;
  words: number;
  words_per_minute: number;
  questions: number;
}

export interface AnalysisResults {
  analyzer?: string;
  transcript?: { format: string; duration_ms: number; segments: number; speakers: number; words: number };
  summary?: ResultItem[];
  highlights?: ResultItem[];
  key_points?: ResultItem[];
  decisions?: ResultItem[];
  tasks?: ResultItem[];
  quotables?: ResultItem[];
  topics?: ResultItem[];
  keyphrases?: ResultItem[];
  speaker_statistics?: SpeakerStatistics[];
  truncated?: Record<string, { kept: number; found: number }>;
}

export interface TranscriptSegment {
  id: string;
  startMs: number;
  endMs: number;
  speakerId: string;
  speakerLabel: string;
  text: string;
}

export interface TranscriptDocument {
  format: string;
  segments: TranscriptSegment[];
  speakers: { id: string; label: string }[];
  durationMs: number;
}

/** The sections the console renders, in reading order, with the headings people see. */
export const RESULT_SECTIONS = [
  { key: 'summary', heading: 'Summary' },
  { key: 'highlights', heading: 'Highlights' },
  { key: 'key_points', heading: 'Key points' },
  { key: 'decisions', heading: 'Decisions' },
  { key: 'tasks', heading: 'Tasks' },
  { key: 'quotables', heading: 'Quotables' },
  { key: 'topics', heading: 'Topics' },
  { key: 'keyphrases', heading: 'Keyphrases' },
] as const;

/** Always-shown sections: their heading appears even when the profile found nothing for them. */
export const CORE_SECTIONS = new Set(['summary', 'highlights', 'decisions', 'tasks', 'quotables', 'topics']);

export function itemsOf(results: AnalysisResults, key: string): ResultItem[] {
  const value = (results as Record<string, unknown>)[key];
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (item): item is ResultItem =>
        typeof item === 'object' && item !== null && typeof item.text === 'string',
    )
    .map((item) => ({ ...item, evidence: Array.isArray(item.evidence) ? item.evidence : [] }));
}

/**
 * The segment a prompt citation points at: citations carry a quote, a speaker and a start time,
 * not a segment id. The segment that starts there and holds the quote, else the last segment
 * starting at or before the time.
 */
export function segmentIndexOfCitation(
  segments: readonly TranscriptSegment[],
  citation: { quote: string; start_ms: number },
): number {
  if (segments.length === 0) return -1;
  const quote = citation.quote.trim();
  const exact = segments.findIndex(
    (segment) => segment.startMs === citation.start_ms && (!quote || segment.text.includes(quote)),
  );
  if (exact >= 0) return exact;
  const containing = segments.findIndex((segment) => quote && segment.text.includes(quote));
  if (containing >= 0) return containing;
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((segments[middle]?.startMs ?? Infinity) <= citation.start_ms) low = middle;
    else high = middle - 1;
  }
  return low;
}
