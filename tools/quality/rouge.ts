/**
 * A small ROUGE (Lin 2004) for whole-meeting summaries: F1 of ROUGE-1, ROUGE-2 and ROUGE-L.
 *
 * Tokens are lower-case runs of [a-z0-9]; tokens longer than three characters are Porter-
 * stemmed, as Google's rouge-score does with stemming on. ROUGE-L is the longest common
 * subsequence of the two whole texts taken as one sequence each (not ROUGE-Lsum's union over
 * sentences): the analyzer's sentences and the human summary do not line up one to one.
 */
import { porterStem } from './porter-stemmer';

export interface RougeScores {
  /** F1 in 0..1. */
  readonly rouge1: number;
  readonly rouge2: number;
  readonly rougeL: number;
}

/** ROUGE's tokens of a text: lower case, [a-z0-9]+, stemmed when longer than three characters. */
export function rougeTokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map((token) =>
    token.length > 3 ? porterStem(token) : token,
  );
}

export function rouge(candidate: readonly string[], reference: readonly string[]): RougeScores {
  return {
    rouge1: ngramF1(candidate, reference, 1),
    rouge2: ngramF1(candidate, reference, 2),
    rougeL: f1(longestCommonSubsequence(candidate, reference), candidate.length, reference.length),
  };
}

export function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let at = 0; at + n <= tokens.length; at++) {
    const gram = tokens.slice(at, at + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** Clipped overlap: each reference n-gram counts at most as often as the reference has it. */
function ngramF1(candidate: readonly string[], reference: readonly string[], n: number): number {
  const ours = ngramCounts(candidate, n);
  const theirs = ngramCounts(reference, n);
  let overlap = 0;
  for (const [gram, count] of ours) overlap += Math.min(count, theirs.get(gram) ?? 0);
  return f1(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

export function f1(overlap: number, candidateTotal: number, referenceTotal: number): number {
  if (overlap === 0 || candidateTotal === 0 || referenceTotal === 0) return 0;
  const precision = overlap / candidateTotal;
  const recall = overlap / referenceTotal;
  return (2 * precision * recall) / (precision + recall);
}

export function longestCommonSubsequence(a: readonly string[], b: readonly string[]): number {
  // One row at a time: a meeting-long candidate against a summary stays small in memory.
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        a[i - 1] === b[j - 1] ? (previous[j - 1] ?? 0) + 1 : Math.max(previous[j] ?? 0, current[j - 1] ?? 0);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The extractive oracle: units (turns) chosen greedily, each step the one that raises
 * ROUGE-1 F1 + ROUGE-2 F1 against the reference most, while the total stays within
 * `maxTokens`; stops when no unit that fits raises it. Returns the chosen indices in order.
 * Bigrams across two chosen units are not counted while choosing (they are when scoring).
 */
export function extractiveOracle(
  units: readonly (readonly string[])[],
  reference: readonly string[],
  maxTokens: number,
): number[] {
  const reference1 = ngramCounts(reference, 1);
  const reference2 = ngramCounts(reference, 2);
  const unitGrams = units.map((unit) => ({ one: ngramCounts(unit, 1), two: ngramCounts(unit, 2) }));
  const chosen1 = new Map<string, number>();
  const chosen2 = new Map<string, number>();
  const chosen = new Set<number>();
  let overlap1 = 0;
  let overlap2 = 0;
  let tokens1 = 0;
  let tokens2 = 0;
  let best = 0;
  for (;;) {
    let pick = -1;
    let pickScore = best;
    let pickGain = { one: 0, two: 0 };
    units.forEach((unit, index) => {
      if (chosen.has(index) || unit.length === 0 || tokens1 + unit.length > maxTokens) return;
      const grams = unitGrams[index];
      if (!grams) return;
      const gain = {
        one: clippedGain(grams.one, chosen1, reference1),
        two: clippedGain(grams.two, chosen2, reference2),
      };
      const score =
        f1(overlap1 + gain.one, tokens1 + unit.length, reference.length) +
        f1(overlap2 + gain.two, tokens2 + Math.max(0, unit.length - 1), Math.max(0, reference.length - 1));
      if (score > pickScore) {
        pick = index;
        pickScore = score;
        pickGain = gain;
      }
    });
    if (pick < 0) break;
    const unit = units[pick] ?? [];
    const grams = unitGrams[pick];
    chosen.add(pick);
    if (grams) {
      addCounts(chosen1, grams.one);
      addCounts(chosen2, grams.two);
    }
    overlap1 += pickGain.one;
    overlap2 += pickGain.two;
    tokens1 += unit.length;
    tokens2 += Math.max(0, unit.length - 1);
    best = pickScore;
  }
  return [...chosen].sort((a, b) => a - b);
}

function clippedGain(
  added: ReadonlyMap<string, number>,
  chosen: ReadonlyMap<string, number>,
  reference: ReadonlyMap<string, number>,
): number {
  let gain = 0;
  for (const [gram, count] of added) {
    const limit = reference.get(gram) ?? 0;
    if (limit === 0) continue;
    const before = chosen.get(gram) ?? 0;
    gain += Math.min(before + count, limit) - Math.min(before, limit);
  }
  return gain;
}

function addCounts(into: Map<string, number>, counts: ReadonlyMap<string, number>): void {
  for (const [gram, count] of counts) into.set(gram, (into.get(gram) ?? 0) + count);
}
