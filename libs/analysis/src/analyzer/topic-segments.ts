import { Segment } from '../transcript';
import { AnalysisItem } from './analysis-result';
import { nounPhrasesOf } from './noun-phrases';
import { Sentence, evidenceOf } from './sentences';

/**
 * About one topic per 1,100 content words (some 3,000 spoken words): QMSum's train meetings
 * have 4 to 6 gold topics, and fewer, surer boundaries score better than many doubtful ones.
 */
const CONTENT_WORDS_PER_TOPIC = 1_100;
const MAX_TOPICS = 8;
/** Each side of a gap is compared over about this many content words (TextTiling's blocks). */
const BLOCK_TERMS = 400;
/** Of a gap's similarity, the share that is who speaks rather than what is said. */
const SPEAKER_WEIGHT = 0.3;
const SUB_PHRASE_WEIGHT = 0.5;
/** No topic shorter than this share of the words a topic has on average. */
const MIN_TOPIC_SHARE = 0.35;

/** A stretch of the meeting on one subject: turns [start, end) and its noun-phrase label. */
export interface TopicSegment {
  start: number;
  end: number;
  label: string;
  /** The stretch's first sentence, and the one that best shows the label in use. */
  firstSentence: Sentence | null;
  labelSentence: Sentence | null;
}

/**
 * The meeting cut where its vocabulary shifts (TextTiling: the cosine of the content words
 * just before and after each turn; the deepest valleys become boundaries, as many as its length
 * suggests), each stretch named after the noun phrase most its own (frequent in it, rarer
 * elsewhere). Phrases come from wink-nlp's part-of-speech tags, never from word lists alone.
 */
export function topicSegmentsOf(
  segments: readonly Segment[],
  sentences: readonly Sentence[],
  ignore: ReadonlySet<string>,
  /** More (finer) or fewer topics than the usual one per CONTENT_WORDS_PER_TOPIC. */
  density = 1,
): TopicSegment[] {
  if (segments.length === 0) return [];
  const { turnSentences, words, depths, before } = shiftsOf(segments, sentences);
  const wanted = Math.max(1, Math.min(MAX_TOPICS, Math.round((words * density) / CONTENT_WORDS_PER_TOPIC)));
  const boundaries =
    wanted > 1 ? boundariesOf(depths, before, wanted, (words / wanted) * MIN_TOPIC_SHARE) : [];
  const ranges = [0, ...boundaries, segments.length]
    .slice(0, -1)
    .map((start, index, starts) => [start, starts[index + 1] ?? segments.length] as const);
  return labelled(ranges, turnSentences, ignore);
}

/** The topics as result items: the label, with the stretch's first sentence and the label in use as evidence. */
export function topicItemsOf(topics: TopicSegment[]): AnalysisItem[] {
  return topics.map((topic) => {
    const evidence = [topic.firstSentence, topic.labelSentence]
      .filter((sentence): sentence is Sentence => sentence !== null)
      .filter((sentence, index, all) => all.indexOf(sentence) === index)
      .map((sentence) => evidenceOf(sentence.segment, sentence.text));
    return { text: topic.label, evidence };
  });
}

interface Shifts {
  turnSentences: Sentence[][];
  /** Content words in all. */
  words: number;
  /** Every gap (a turn index starting a new stretch) with its depth, deepest first. */
  depths: { gap: number; depth: number }[];
  /** Content words before each turn. */
  before: Float64Array;
}

/** The summary and the topics list cut the same meeting at different grains: measured once. */
const measured = new WeakMap<readonly Sentence[], Shifts>();

function shiftsOf(segments: readonly Segment[], sentences: readonly Sentence[]): Shifts {
  const known = measured.get(sentences);
  if (known) return known;
  const turnIndex = new Map(segments.map((segment, index) => [segment, index]));
  const turnTerms: string[][] = segments.map(() => []);
  const turnSentences: Sentence[][] = segments.map(() => []);
  for (const sentence of sentences) {
    const turn = turnIndex.get(sentence.segment) ?? 0;
    turnTerms[turn]?.push(...sentence.terms.map(stem));
    turnSentences[turn]?.push(sentence);
  }
  const count = segments.length;
  // Terms and speakers as small integers, counted in typed arrays: no map per gap.
  const ids = new Map<string, number>();
  const idOf = (key: string) => {
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  };
  const termIds = turnTerms.map((terms) => terms.map(idOf));
  // Who holds the floor shifts with the subject too (a presentation, then a discussion).
  const speakerIds = turnTerms.map((terms, index) =>
    terms.map(() => idOf(`\u0000${segments[index]?.speakerId ?? ''}`)),
  );
  const terms = blockSimilarities(termIds, ids.size);
  const speakers = blockSimilarities(speakerIds, ids.size);
  const similarity = terms.map(
    (value, gap) => (1 - SPEAKER_WEIGHT) * value + SPEAKER_WEIGHT * (speakers[gap] ?? 0),
  );
  // Smooth over neighbouring gaps: one odd turn is no shift.
  const smooth = new Float64Array(count);
  for (let gap = 1; gap < count; gap++) {
    let sum = 0;
    let n = 0;
    for (let at = Math.max(1, gap - 2); at <= Math.min(count - 1, gap + 2); at++) {
      sum += similarity[at] ?? 0;
      n++;
    }
    smooth[gap] = sum / n;
  }
  const depths: { gap: number; depth: number }[] = [];
  for (let gap = 1; gap < count; gap++) {
    const here = smooth[gap] ?? 0;
    let left = here;
    for (let at = gap - 1; at >= 1 && (smooth[at] ?? 0) >= left; at--) left = smooth[at] ?? 0;
    let right = here;
    for (let at = gap + 1; at < count && (smooth[at] ?? 0) >= right; at++) right = smooth[at] ?? 0;
    depths.push({ gap, depth: left - here + (right - here) });
  }
  depths.sort((a, b) => b.depth - a.depth || a.gap - b.gap);
  const before = new Float64Array(count + 1);
  turnTerms.forEach((list, index) => (before[index + 1] = (before[index] ?? 0) + list.length));
  const shifts = { turnSentences, words: before[count] ?? 0, depths, before };
  measured.set(sentences, shifts);
  return shifts;
}

/** Gaps (turn indexes starting a new topic), deepest valleys of similarity first, kept apart. */
function boundariesOf(
  depths: readonly { gap: number; depth: number }[],
  before: Float64Array,
  wanted: number,
  minTerms: number,
): number[] {
  const total = before[before.length - 1] ?? 0;
  const chosen: number[] = [];
  for (const { gap } of depths) {
    if (chosen.length >= wanted - 1) break;
    const at = before[gap] ?? 0;
    if (at < minTerms || total - at < minTerms) continue;
    if (chosen.some((other) => Math.abs((before[other] ?? 0) - at) < minTerms)) continue;
    chosen.push(gap);
  }
  return chosen.sort((a, b) => a - b);
}

/**
 * For every gap between turns, the cosine of the BLOCK_TERMS items (term or speaker ids) just
 * before it and the BLOCK_TERMS from it on (TextTiling's blocks).
 */
function blockSimilarities(turnIds: number[][], size: number): Float64Array {
  const count = turnIds.length;
  const left = new Float64Array(size);
  const right = new Float64Array(size);
  const similarity = new Float64Array(count);
  const touched: number[] = [];
  const fill = (counts: Float64Array, from: number, direction: 1 | -1) => {
    let collected = 0;
    for (let at = from; at >= 0 && at < count && collected < BLOCK_TERMS; at += direction) {
      for (const id of turnIds[at] ?? []) {
        if ((left[id] ?? 0) === 0 && (right[id] ?? 0) === 0) touched.push(id);
        counts[id] = (counts[id] ?? 0) + 1;
        collected++;
      }
    }
  };
  for (let gap = 1; gap < count; gap++) {
    fill(left, gap - 1, -1);
    fill(right, gap, 1);
    let dot = 0;
    let normLeft = 0;
    let normRight = 0;
    for (const id of touched) {
      const a = left[id] ?? 0;
      const b = right[id] ?? 0;
      dot += a * b;
      normLeft += a * a;
      normRight += b * b;
      left[id] = 0;
      right[id] = 0;
    }
    touched.length = 0;
    similarity[gap] = normLeft && normRight ? dot / Math.sqrt(normLeft * normRight) : 0;
  }
  return similarity;
}

/**
 * Names every stretch after its own noun phrase: frequent in it, rare in the others, longer
 * phrases preferred at equal weight; no two stretches share a label.
 */
function labelled(
  ranges: (readonly [number, number])[],
  turnSentences: Sentence[][],
  ignore: ReadonlySet<string>,
): TopicSegment[] {
  const perRange = ranges.map(([start, end]) => {
    const counts = new Map<string, { count: number; sentence: Sentence }>();
    const inside = new Map<string, number>();
    for (let turn = start; turn < end; turn++) {
      for (const sentence of turnSentences[turn] ?? []) {
        if (sentence.terms.length === 0) continue;
        for (const phrase of phrasesOf(sentence, ignore)) {
          add(counts, phrase, 1, sentence);
          const words = phrase.split(' ');
          if (words.length > 1) for (const word of words) inside.set(word, (inside.get(word) ?? 0) + 1);
        }
      }
    }
    // "launch", said on its own, is also what "launch date" and "launch plan" are about.
    for (const [word, count] of inside) {
      const entry = counts.get(word);
      if (entry) entry.count += count * SUB_PHRASE_WEIGHT;
    }
    return counts;
  });
  const rangesWith = new Map<string, number>();
  for (const counts of perRange) {
    for (const phrase of counts.keys()) rangesWith.set(phrase, (rangesWith.get(phrase) ?? 0) + 1);
  }
  const used = new Set<string>();
  return ranges.map(([start, end], index) => {
    const counts = perRange[index] ?? new Map<string, { count: number; sentence: Sentence }>();
    const ranked = [...counts.entries()]
      .map(([phrase, { count, sentence }]) => {
        const words = phrase.split(' ').length;
        const rarity = Math.log(1 + ranges.length / (rangesWith.get(phrase) ?? 1));
        return { phrase, sentence, score: count * (1 + 0.6 * (words - 1)) * (0.5 + rarity) };
      })
      .filter(({ phrase }) => !used.has(phrase))
      .sort((a, b) => b.score - a.score || a.phrase.localeCompare(b.phrase, 'en'));
    const best = ranked[0];
    if (best) used.add(best.phrase);
    let firstSentence: Sentence | null = null;
    for (let turn = start; turn < end && !firstSentence; turn++)
      firstSentence = turnSentences[turn]?.[0] ?? null;
    return { start, end, label: best?.phrase ?? '', firstSentence, labelSentence: best?.sentence ?? null };
  });
}

function add(
  counts: Map<string, { count: number; sentence: Sentence }>,
  phrase: string,
  weight: number,
  sentence: Sentence,
) {
  const entry = counts.get(phrase);
  if (entry) entry.count += weight;
  else counts.set(phrase, { count: weight, sentence });
}

/** Tagging is the costly part: each sentence is tagged once, however often it is labelled. */
const taggedPhrases = new WeakMap<Sentence, string[]>();
function phrasesOf(sentence: Sentence, ignore: ReadonlySet<string>): string[] {
  let phrases = taggedPhrases.get(sentence);
  if (!phrases) taggedPhrases.set(sentence, (phrases = nounPhrasesOf(readable(sentence.text), ignore)));
  return phrases;
}

/** AMI's letter spellings ("D_V_D_") as words, so the tagger reads them. */
function readable(text: string): string {
  return text.replace(/\b(?:[A-Za-z]_)+[A-Za-z]?/g, (spelled) => spelled.replace(/_/g, ''));
}

function stem(word: string): string {
  return word.length > 4 ? word.replace(/(?:ies|es|s)$/, '') : word;
}
