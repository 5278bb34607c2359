/**
 * QMSum meetings (`../shared/benchmarks/qmsum/<split>/<name>.json`, see its README) and their
 * transcripts as the product reads them: a segments-JSON document where turn i starts at
 * i x 10 s and lasts 10 s, with the `{vocalsound}`-style annotation tokens removed. Empty
 * turns are left out (the parser would drop them anyway); every segment keeps its turn index
 * through its start time, which is how evidence and citations map back to gold turn spans.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseTranscript, type Evidence, type Transcript } from '@scriptripper/analysis';
import type { TurnSpan } from './segmentation';

export const TURN_MS = 10_000;

export type MeetingSource = 'AMI' | 'ICSI' | 'parliamentary';
export const MEETING_SOURCES: readonly MeetingSource[] = ['AMI', 'ICSI', 'parliamentary'];

export interface QmsumTurn {
  readonly speaker: string;
  readonly content: string;
}

export interface QmsumMeeting {
  readonly name: string;
  readonly source: MeetingSource;
  readonly turns: readonly QmsumTurn[];
  readonly topics: readonly { readonly name: string; readonly spans: readonly TurnSpan[] }[];
  readonly generalQueries: readonly { readonly query: string; readonly answer: string }[];
  readonly specificQueries: readonly {
    readonly query: string;
    readonly answer: string;
    readonly spans: readonly TurnSpan[];
  }[];
}

/** The meetings of one split folder, in name order. */
export function readSplit(folder: string): QmsumMeeting[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => readMeeting(join(folder, file)));
}

export function readMeeting(path: string): QmsumMeeting {
  const name = path.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  const document = JSON.parse(readFileSync(path, 'utf8')) as {
    meeting_transcripts?: { speaker?: unknown; content?: unknown }[];
    topic_list?: { topic?: unknown; relevant_text_span?: unknown }[];
    general_query_list?: { query?: unknown; answer?: unknown }[];
    specific_query_list?: { query?: unknown; answer?: unknown; relevant_text_span?: unknown }[];
  };
  if (!Array.isArray(document.meeting_transcripts)) {
    throw new Error(`${path}: meeting_transcripts is missing; is this a QMSum meeting file?`);
  }
  return {
    name,
    source: sourceOf(name),
    turns: document.meeting_transcripts.map((turn) => ({
      speaker: String(turn.speaker ?? ''),
      content: String(turn.content ?? ''),
    })),
    topics: (document.topic_list ?? []).map((topic) => ({
      name: String(topic.topic ?? ''),
      spans: spansOf(topic.relevant_text_span, path),
    })),
    generalQueries: (document.general_query_list ?? []).map((query) => ({
      query: String(query.query ?? ''),
      answer: String(query.answer ?? ''),
    })),
    specificQueries: (document.specific_query_list ?? []).map((query) => ({
      query: String(query.query ?? ''),
      answer: String(query.answer ?? ''),
      spans: spansOf(query.relevant_text_span, path),
    })),
  };
}

/** AMI meetings are ES*, IS*, TS*; ICSI are B*; the rest are parliamentary committees. */
export function sourceOf(name: string): MeetingSource {
  if (/^(?:ES|IS|TS)\d/.test(name)) return 'AMI';
  if (/^B[a-z]{2}\d/.test(name)) return 'ICSI';
  return 'parliamentary';
}

/** A turn's words: annotation tokens such as `{vocalsound}` and `{disfmarker}` removed, spaces collapsed. */
export function turnText(content: string): string {
  return content
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The whole-meeting summary: the first general query that asks to summarise the meeting, else
 * the first general query (in QMSum it is always about the whole meeting, though some ICSI
 * files word it "What was the meeting about?").
 */
export function wholeMeetingSummary(meeting: QmsumMeeting): { answer: string; worded: boolean } | null {
  const summarise = meeting.generalQueries.find(
    ({ query }) => /summar/i.test(query) && /meeting/i.test(query),
  );
  const chosen = summarise ?? meeting.generalQueries[0];
  return chosen ? { answer: chosen.answer, worded: summarise !== undefined } : null;
}

/** The segments-JSON source of a meeting: the upload a user of the product would make. */
export function segmentsJsonOf(meeting: QmsumMeeting): string {
  const segments = meeting.turns.flatMap((turn, index) => {
    const text = turnText(turn.content);
    if (text === '') return [];
    return [
      { start: (index * TURN_MS) / 1000, end: ((index + 1) * TURN_MS) / 1000, speaker: turn.speaker, text },
    ];
  });
  return JSON.stringify({ segments });
}

/** Parses a meeting through the product's parser, checking that no turn was lost or merged. */
export function meetingTranscript(meeting: QmsumMeeting): Transcript {
  const transcript = parseTranscript(segmentsJsonOf(meeting), { format: 'segments-json' });
  const spoken = meeting.turns.filter((turn) => turnText(turn.content) !== '').length;
  if (transcript.segments.length !== spoken) {
    throw new Error(
      `${meeting.name}: the parser made ${transcript.segments.length} segments of ${spoken} spoken turns; the turn map would be wrong`,
    );
  }
  return transcript;
}

/** The turn a time in the transcript falls in. */
export function turnAt(ms: number): number {
  return Math.floor(ms / TURN_MS);
}

/** The turn an evidence quote comes from. */
export function evidenceTurn(evidence: Pick<Evidence, 'start_ms'>): number {
  return turnAt(evidence.start_ms);
}

function spansOf(value: unknown, path: string): TurnSpan[] {
  if (!Array.isArray(value)) return [];
  return value.map((pair: unknown) => {
    const [start, end] = Array.isArray(pair) ? pair.map(Number) : [];
    if (start === undefined || end === undefined || !Number.isInteger(start) || !Number.isInteger(end)) {
      throw new Error(`${path}: a relevant_text_span is not a pair of turn numbers: ${JSON.stringify(pair)}`);
    }
    return { start, end };
  });
}
