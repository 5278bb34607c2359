import { isStopword, termsOf } from '../analyzer/sentences';
import { UNKNOWN_SPEAKER_ID, type Segment, type Speaker, type Transcript } from '../transcript';

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
  /** Neighbouring segments added on each side of a passage, so it reads in context (see CONTEXT). */
  readonly context?: number;
}

/** Words of how a question is asked, not of what it asks about ("summarize the discussion about"). */
const QUESTION_WORDS = new Set(
  'summarize summarise summary discuss discussed discussion discussing talk talked talking say said think thought opinion opinions view views idea ideas meeting group team member members people person mention mentioned state stated suggest suggested describe explain conclusion agree agreed decide decided decision reason reasons introduce introduced present presented presentation propose proposed concern concerns respond response answer'.split(
    ' ',
  ),
);
/** No neighbours by default: passages of up to WINDOW_SIZE segments already carry their context. */
const CONTEXT = 0;
/** A passage spans up to this many adjacent segments: an exchange, not an isolated line. */
const WINDOW_SIZE = 5;
/** Segments either side of the densest stretch of the question's words. */
const REGION = 20;
/** Outside that stretch (twice REGION from it) a passage counts for this share of its score. */
const OUTSIDE = 0.7;
/** The named speaker's segments count their words this many times. */
const SPEAKER_BOOST = 2;

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
  const windowSize = Math.max(1, options.windowSize ?? WINDOW_SIZE);
  const context = Math.max(0, options.context ?? CONTEXT);
  const segments = transcript.segments;
  const asked = speakersAskedAbout(query, transcript.speakers);
  const askedWords = new Set(
    transcript.speakers
      .filter((speaker) => asked.has(speaker.id))
      .flatMap((speaker) => retrievalTermsOf(speaker.label)),
  );
  const allTerms = [...new Set(retrievalTermsOf(query))].filter((term) => !askedWords.has(term));
  const topical = allTerms.filter((term) => !QUESTION_WORDS.has(term));
  const queryTerms = topical.length > 0 ? topical : allTerms;
  if (queryTerms.length === 0 || segments.length === 0 || limit < 1) return [];

  const segmentTerms = segments.map((segment) => retrievalTermsOf(segment.text));
  const idf = inverseDocumentFrequencies(queryTerms, segmentTerms);
  const windows = windowsOf(segments.length, windowSize);
  const lengths = windows.map(([start, end]) => sumLengths(segmentTerms, start, end));
  const averageLength = lengths.reduce((sum, length) => sum + length, 0) / windows.length || 1;

  const spokenBy = (start: number, end: number) => {
    for (let at = start; at < end; at++) {
      const segment = segments[at];
      if (
        segment &&
        asked.has(segment.speakerId) &&
        (segmentTerms[at] ?? []).some((term) => queryTerms.includes(term))
      ) {
        return true;
      }
    }
    return false;
  };
  const rawScores: number[] = [];
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
      // A question about someone ("What did Marketing think of ...") reads their turns first.
      if (asked.size > 0 && spokenBy(start, end)) score *= SPEAKER_BOOST;
      rawScores[index] = score;
      return { ...trimmed(start, end, segmentTerms, queryTerms), score };
    })
    .filter((window) => window.score > 0)
    .sort((a, b) => b.score - a.score || a.start - b.start || a.end - b.end);

  // Answers cluster: the stretch of the meeting where the question's words are densest is
  // where its passages are sought first; elsewhere a passage must score much higher.
  const single = new Float64Array(segments.length);
  windows.forEach(([start, end], index) => {
    if (end === start + 1) single[start] = rawScores[index] ?? 0;
  });
  const anchor = densestAt(single, REGION);
  const weighted = scored
    .map((window) => {
      const centre = (window.start + window.end - 1) / 2;
      const near = Math.abs(centre - anchor) <= REGION * 2;
      return { ...window, score: window.score, rank: window.score * (near ? 1 : OUTSIDE) };
    })
    .sort((a, b) => b.rank - a.rank || a.start - b.start || a.end - b.end);
  const chosen: { start: number; end: number; score: number }[] = [];
  for (const window of weighted) {
    if (chosen.length >= limit) break;
    if (
      chosen.some((taken) => window.start < taken.end + context * 2 && taken.start < window.end + context * 2)
    )
      continue;
    chosen.push(window);
  }
  return chosen.map(({ start: first, end: last, score }) => {
    // A few neighbours on each side: an answer reads in context, not as an isolated line.
    const start = Math.max(0, first - context);
    let end = Math.min(segments.length, last + context);
    // A single line is answered in the next turn by someone else: quote the reply too.
    const reply = segments[end];
    if (end - start === 1 && windowSize > 1 && reply && reply.speakerId !== segments[start]?.speakerId) end++;
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

/**
 * Speakers a question names: their whole label ("Kirsty Williams AM", "Industrial Designer"),
 * a word of it no other speaker has ("Williams", "Marketing"), or its letter ("Speaker C",
 * "Grad C" as "C") when that letter is one speaker's.
 */
function speakersAskedAbout(query: string, speakers: readonly Speaker[]): Set<string> {
  const lower = ` ${query.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const named = speakers.filter((speaker) => speaker.id !== UNKNOWN_SPEAKER_ID);
  const words = named.map((speaker) =>
    speaker.label
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  );
  const owners = new Map<string, number>();
  for (const list of words) for (const word of new Set(list)) owners.set(word, (owners.get(word) ?? 0) + 1);
  const asked = new Set<string>();
  named.forEach((speaker, index) => {
    const list = words[index] ?? [];
    const full = list.length > 0 && lower.includes(` ${list.join(' ')} `);
    const distinctive = list.some(
      (word) =>
        (word.length >= 4 || /^[a-z]$/.test(word)) &&
        owners.get(word) === 1 &&
        !isStopword(word) &&
        lower.includes(` ${word} `),
    );
    if (full || distinctive) asked.add(speaker.id);
  });
  // A lone letter is also an article ("a") or a pronoun ("I"): only as a capital in the question.
  for (const speaker of named) {
    if (!asked.has(speaker.id)) continue;
    const letter = /(?:^|\s)([A-Z])$/.exec(speaker.label)?.[1];
    if (
      letter &&
      !new RegExp(`\\b${letter}\\b`).test(query) &&
      !lower.includes(` ${speaker.label.toLowerCase()} `)
    ) {
      const others = (words[named.indexOf(speaker)] ?? []).filter(
        (word) => word.length >= 4 && owners.get(word) === 1,
      );
      if (!others.some((word) => lower.includes(` ${word} `))) asked.delete(speaker.id);
    }
  }
  return asked;
}

/** The segment index whose neighbourhood (`radius` either side) holds the most score; earliest on ties. */
function densestAt(scores: Float64Array, radius: number): number {
  let best = 0;
  let bestSum = -1;
  let sum = 0;
  for (let at = 0; at < Math.min(scores.length, radius + 1); at++) sum += scores[at] ?? 0;
  for (let centre = 0; centre < scores.length; centre++) {
    if (sum > bestSum) {
      bestSum = sum;
      best = centre;
    }
    sum += (scores[centre + radius + 1] ?? 0) - (scores[centre - radius] ?? 0);
  }
  return best;
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
