import { eng } from 'stopword';
import { Segment, Transcript } from '../transcript';
import { Evidence } from './analysis-result';

/** One sentence of one segment; `start`/`end` index into the segment's text. */
export interface Sentence {
  index: number;
  segment: Segment;
  start: number;
  end: number;
  text: string;
  /** Lower-case content words (no stopwords or fillers). */
  terms: string[];
}

const FILLERS = [
  'um',
  'uh',
  'erm',
  'hmm',
  'yeah',
  'yes',
  'okay',
  'ok',
  'right',
  'like',
  'just',
  'really',
  'actually',
  'basically',
  'sure',
  'thanks',
  'thank',
  'great',
  'good',
  'well',
  'also',
  'lets',
  "let's",
  'gonna',
  'going',
  'get',
  'got',
  'think',
  'know',
  'want',
  'need',
  'one',
  'thing',
  'things',
  'will',
  "i'll",
  "we'll",
  "it's",
  "that's",
  "don't",
  "i'm",
  "we're",
  "you're",
  'can',
  'could',
  'would',
  'should',
  'maybe',
  'please',
  'everyone',
  'instead',
  'today',
  'yesterday',
  'tomorrow',
  'week',
  'lot',
  'bit',
  'way',
  'still',
  'mostly',
];
const STOPWORDS = new Set([...eng, ...FILLERS]);
const SENTENCE_END = /[.!?…]+["'”’)\]]*(?=\s|$)/g;
const ABBREVIATIONS = /(?:^|\s)(?:mr|mrs|ms|dr|prof|st|vs|etc|e\.g|i\.e|approx)\.$/i;
export const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** An item with the sentence it was drawn from, so it can be ranked and kept out of other sections. */
export interface Found<T> {
  sentence: Sentence;
  item: T;
}

/** Splits every segment into sentences, in transcript order. */
export function sentencesOf(transcript: Transcript, extraStopwords: ReadonlySet<string>): Sentence[] {
  const sentences: Sentence[] = [];
  for (const segment of transcript.segments) {
    for (const [start, end] of sentenceSpans(segment.text)) {
      const text = segment.text.slice(start, end);
      sentences.push({
        index: sentences.length,
        segment,
        start,
        end,
        text,
        terms: termsOf(text, extraStopwords),
      });
    }
  }
  return sentences;
}

function sentenceSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    if (ABBREVIATIONS.test(text.slice(Math.max(0, end - 8), end))) continue;
    pushTrimmed(text, start, end, spans);
    start = end;
  }
  pushTrimmed(text, start, text.length, spans);
  return spans;
}

function pushTrimmed(text: string, start: number, end: number, spans: [number, number][]): void {
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  if (end > start) spans.push([start, end]);
}

export function termsOf(text: string, extraStopwords: ReadonlySet<string>): string[] {
  const words = text.toLowerCase().replace(/’/g, "'").match(WORD) ?? [];
  return words.filter(
    (word) => word.length > 2 && !isStopword(word) && !extraStopwords.has(word) && !/^\d+$/.test(word),
  );
}

export function isQuestion(sentence: Sentence): boolean {
  return sentence.text.endsWith('?');
}

export function wordCount(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/** Evidence for a quote; refuses a quote that is not verbatim in the segment. */
export function evidenceOf(segment: Segment, quote: string): Evidence {
  if (quote === '' || !segment.text.includes(quote)) {
    throw new Error(`Evidence quote is not verbatim in segment ${segment.id}`);
  }
  return {
    segment_id: segment.id,
    start_ms: segment.startMs,
    end_ms: segment.endMs,
    speaker: segment.speakerLabel,
    quote,
  };
}

export function sentenceEvidence(sentence: Sentence): Evidence[] {
  return [evidenceOf(sentence.segment, sentence.text)];
}
