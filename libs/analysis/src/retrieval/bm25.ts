import { termsOf } from '../analyzer/sentences';
import type { Segment, Transcript } from '../transcript';

/** Okapi BM25's usual constants: term-frequency saturation and length normalisation. */
const K1 = 1.2;
const B = 0.75;
const NO_EXTRA_STOPWORDS: ReadonlySet<string> = new Set();

/** A run of adjacent segments that answers a question, quoted as the segments say it. */
export interface Passage {
  readonly segments: readonly Segment[];
  readonly score: number;
  readonly startMs: number;
  readonly endMs: number;
  /** The question's terms found in the passage, in the question's order. */
  readonly matchedTerms: readonly string[];
}

export interface PassageOptions {
  /** How many passages at most (3). */
  readonly limit?: number;
  /** How many adjacent segments a passage spans at most (3). */
  readonly windowSize?: number;
}

/**
 * Retrieval terms: the analyzer's content words (same word pattern, stopwords and fillers),
 * in the singular, so "deadlines" finds "deadline".
 */
export function retrievalTermsOf(text: string): string[] {
  return termsOf(text, NO_EXTRA_STOPWORDS).map(stem);
}

/**
 * The transcript's passages that best match `query` by BM25, best first, never overlapping.
 * Candidates are runs of 1 to `windowSize` adjacent segments (a longer run pays BM25's length
 * normalisation, so it wins only when its neighbours match too); a term's rarity (IDF) is
 * counted over segments, so overlapping windows do not inflate it. A window is trimmed to
 * the segments between its first and last matching one, so a passage starts and ends on
 * what was asked. Ties go to the earlier passage: the same question gives the same answer.
 */
export function bestPassages(transcript: Transcript, query: string, options: PassageOptions = {}): Passage[] {
  const limit = options.limit ?? 3;
  const windowSize = Math.max(1, options.windowSize ?? 3);
  const queryTerms = [...new Set(retrievalTermsOf(query))];
  const segments = transcript.segments;
  if (queryTerms.length === 0 || segments.length === 0 || limit < 1) return [];

  const segmentTerms = segments.map((segment) => retrievalTermsOf(segment.text));
  const idf = inverseDocumentFrequencies(queryTerms, segmentTerms);
  const windows = windowsOf(segments.length, windowSize);
  const lengths = windows.map(([start, end]) => sumLengths(segmentTerms, start, end));
  const averageLength = lengths.reduce((sum, length) => sum + length, 0) / windows.length || 1;

  const scored = windows
    .map(([start, end], index) => {
      const frequencies = new Map<string, number>();
      for (let at = start; at < end; at++) {
        for (const term of segmentTerms[at] ?? []) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      }
      const length = lengths[index] ?? 0;
      let score = 0;
      for (const term of queryTerms) {
        const frequency = frequencies.get(term) ?? 0;
        if (frequency === 0) continue;
        score +=
          ((idf.get(term) ?? 0) * (frequency * (K1 + 1))) /
          (frequency + K1 * (1 - B + (B * length) / averageLength));
      }
      return { ...trimmed(start, end, segmentTerms, queryTerms), score };
    })
    .filter((window) => window.score > 0)
    .sort((a, b) => b.score - a.score || a.start - b.start || a.end - b.end);

  const chosen: { start: number; end: number; score: number }[] = [];
  for (const window of scored) {
    if (chosen.length >= limit) break;
    if (chosen.some((taken) => window.start < taken.end && taken.start < window.end)) continue;
    chosen.push(window);
  }
  return chosen.map(({ start, end, score }) => {
    const passageSegments = segments.slice(start, end);
    const found = new Set(segmentTerms.slice(start, end).flat());
    return {
      segments: passageSegments,
      score: Math.round(score * 10_000) / 10_000,
      startMs: passageSegments[0]?.startMs ?? 0,
      endMs: Math.max(...passageSegments.map((segment) => segment.endMs)),
      matchedTerms: queryTerms.filter((term) => found.has(term)),
    };
  });
}

/** BM25's IDF, never negative: log(1 + (N - df + 0.5) / (df + 0.5)). */
function inverseDocumentFrequencies(queryTerms: readonly string[], documents: readonly string[][]) {
  const idf = new Map<string, number>();
  for (const term of queryTerms) {
    const containing = documents.filter((terms) => terms.includes(term)).length;
    idf.set(term, Math.log(1 + (documents.length - containing + 0.5) / (containing + 0.5)));
  }
  return idf;
}

/** [start, end) of every run of 1 to `size` adjacent segments. */
function windowsOf(count: number, size: number): [number, number][] {
  const windows: [number, number][] = [];
  for (let start = 0; start < count; start++) {
    for (let end = start + 1; end <= Math.min(count, start + size); end++) windows.push([start, end]);
  }
  return windows;
}

function sumLengths(segmentTerms: readonly string[][], start: number, end: number): number {
  let length = 0;
  for (let at = start; at < end; at++) length += segmentTerms[at]?.length ?? 0;
  return length;
}

function trimmed(
  start: number,
  end: number,
  segmentTerms: readonly string[][],
  queryTerms: readonly string[],
) {
  const matches = (at: number) => (segmentTerms[at] ?? []).some((term) => queryTerms.includes(term));
  let first = start;
  let last = end - 1;
  while (first < last && !matches(first)) first++;
  while (last > first && !matches(last)) last--;
  return { start: first, end: last + 1 };
}

/** English plurals to singular, conservatively: "deadlines" -> "deadline", "policies" -> "policy", "boxes" -> "box". */
function stem(word: string): string {
  if (word.length <= 3 || /(?:ss|us|is)$/.test(word) || word.endsWith("'s")) return word.replace(/'s$/, '');
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(?:ch|sh|x|z|ss)es$/.test(word)) return word.slice(0, -2);
  return word.endsWith('s') ? word.slice(0, -1) : word;
}
