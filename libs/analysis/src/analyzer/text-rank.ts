import { Sentence } from './sentences';

const DAMPING = 0.85;
const ITERATIONS = 30;

/**
 * TextRank over sentences: a sentence matters when many others share its words. Similarity is
 * shared terms over the log of both lengths (Mihalcea and Tarau); a fixed iteration count
 * keeps the result exactly reproducible.
 */
export function textRank(sentences: Sentence[]): number[] {
  const count = sentences.length;
  const termIds = termIdSets(sentences);
  const neighbours: { index: number; weight: number }[][] = sentences.map(() => []);
  const totals = new Array<number>(count).fill(0);
  for (let a = 0; a < count; a++) {
    const termsA = termIds[a] ?? [];
    if (termsA.length < 2) continue;
    for (let b = a + 1; b < count; b++) {
      const termsB = termIds[b] ?? [];
      if (termsB.length < 2) continue;
      const shared = sharedCount(termsA, termsB);
      if (shared === 0) continue;
      const weight = shared / (Math.log(termsA.length + 1) + Math.log(termsB.length + 1));
      neighbours[a]?.push({ index: b, weight });
      neighbours[b]?.push({ index: a, weight });
      totals[a] = (totals[a] ?? 0) + weight;
      totals[b] = (totals[b] ?? 0) + weight;
    }
  }
  let scores = new Array<number>(count).fill(1);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    scores = neighbours.map(
      (links) =>
        1 -
        DAMPING +
        DAMPING *
          links.reduce(
            (sum, link) => sum + (link.weight / (totals[link.index] || 1)) * (scores[link.index] ?? 0),
            0,
          ),
    );
  }
  return scores;
}

function termIdSets(sentences: Sentence[]): number[][] {
  const ids = new Map<string, number>();
  return sentences.map((sentence) =>
    [...new Set(sentence.terms)]
      .map((term) => {
        let id = ids.get(term);
        if (id === undefined) ids.set(term, (id = ids.size));
        return id;
      })
      .sort((a, b) => a - b),
  );
}

function sharedCount(a: number[], b: number[]): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}
