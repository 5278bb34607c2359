/**
 * Custom-prompt retrieval against QMSum's specific questions: which turns an answer cites,
 * against the turn spans people marked as relevant. Also the two baselines, written here
 * independently of the product: textbook BM25 over single turns, and turns drawn at random.
 */
import type { TurnSpan } from './segmentation';
import { FILLERS, STOP_WORDS } from './word-lists';

export interface RetrievalCounts {
  readonly questions: number;
  readonly citations: number;
  /** Citations whose turn lies inside one of the question's gold spans. */
  readonly citationsInGold: number;
  readonly goldSpans: number;
  /** Gold spans with at least one citation inside. */
  readonly goldSpansTouched: number;
}

export const NO_RETRIEVAL: RetrievalCounts = {
  questions: 0,
  citations: 0,
  citationsInGold: 0,
  goldSpans: 0,
  goldSpansTouched: 0,
};

/** The counts of one answer: the turns it cites against the question's gold spans. */
export function retrievalCounts(citedTurns: readonly number[], gold: readonly TurnSpan[]): RetrievalCounts {
  const inside = (turn: number, span: TurnSpan) => turn >= span.start && turn <= span.end;
  return {
    questions: 1,
    citations: citedTurns.length,
    citationsInGold: citedTurns.filter((turn) => gold.some((span) => inside(turn, span))).length,
    goldSpans: gold.length,
    goldSpansTouched: gold.filter((span) => citedTurns.some((turn) => inside(turn, span))).length,
  };
}

export function addRetrieval(a: RetrievalCounts, b: RetrievalCounts): RetrievalCounts {
  return {
    questions: a.questions + b.questions,
    citations: a.citations + b.citations,
    citationsInGold: a.citationsInGold + b.citationsInGold,
    goldSpans: a.goldSpans + b.goldSpans,
    goldSpansTouched: a.goldSpansTouched + b.goldSpansTouched,
  };
}

/** Share of all citations inside gold spans, pooled over questions (0 when nothing was cited). */
export function citedInGoldShare(counts: RetrievalCounts): number {
  return counts.citations === 0 ? 0 : counts.citationsInGold / counts.citations;
}

/** Share of all gold spans touched by a citation, pooled over questions. */
export function goldTouchedShare(counts: RetrievalCounts): number {
  return counts.goldSpans === 0 ? 0 : counts.goldSpansTouched / counts.goldSpans;
}

const K1 = 1.2;
const B = 0.75;

/** BM25's terms: lower-case [a-z0-9'] words without stop words and fillers; no stemming. */
export function bm25Terms(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? []).filter(
    (word) => !STOP_WORDS.has(word) && !FILLERS.has(word),
  );
}

/**
 * Textbook Okapi BM25 (k1 1.2, b 0.75, IDF log(1 + (N - df + 0.5) / (df + 0.5))) with each
 * turn a document: the `k` best-scoring turns (score > 0; ties to the earlier turn), in turn
 * order. `turnTexts[i]` is turn i's text; empty turns are documents that never match.
 */
export function bm25TopTurns(turnTexts: readonly string[], query: string, k: number): number[] {
  const queryTerms = [...new Set(bm25Terms(query))];
  const documents = turnTexts.map(bm25Terms);
  const nonEmpty = documents.filter((terms) => terms.length > 0);
  if (queryTerms.length === 0 || nonEmpty.length === 0 || k < 1) return [];
  const averageLength = nonEmpty.reduce((sum, terms) => sum + terms.length, 0) / nonEmpty.length;
  const idf = new Map(
    queryTerms.map((term) => {
      const containing = nonEmpty.filter((terms) => terms.includes(term)).length;
      return [term, Math.log(1 + (nonEmpty.length - containing + 0.5) / (containing + 0.5))];
    }),
  );
  return documents
    .map((terms, turn) => {
      let score = 0;
      for (const term of queryTerms) {
        const frequency = terms.filter((word) => word === term).length;
        if (frequency === 0) continue;
        score +=
          ((idf.get(term) ?? 0) * frequency * (K1 + 1)) /
          (frequency + K1 * (1 - B + (B * terms.length) / averageLength));
      }
      return { turn, score };
    })
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || a.turn - b.turn)
    .slice(0, k)
    .map(({ turn }) => turn)
    .sort((a, b) => a - b);
}

/** `count` distinct turns drawn uniformly from `candidates` (all when there are fewer). */
export function randomTurns(candidates: readonly number[], count: number, random: () => number): number[] {
  const pool = [...candidates];
  const drawn: number[] = [];
  while (drawn.length < count && pool.length > 0) {
    const [turn] = pool.splice(Math.floor(random() * pool.length), 1);
    if (turn !== undefined) drawn.push(turn);
  }
  return drawn.sort((a, b) => a - b);
}

/** Mulberry32: a small seeded generator, so "chance" is the same figure on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
