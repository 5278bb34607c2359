import { Sentence } from './sentences';

const DAMPING = 0.85;
const ITERATIONS = 30;
/**
 * A sentence with more distinct terms weighs as if it had this many. It bounds the work per
 * iteration to this many times the number of terms, whatever the input, and barely moves a
 * weight: no real sentence has so many distinct content words.
 */
const MAX_LENGTH = 64;

/**
 * TextRank over sentences: a sentence matters when many others share its words. Similarity is
 * shared terms over the log of both lengths (Mihalcea and Tarau); a fixed iteration count
 * keeps the result exactly reproducible.
 *
 * The graph is dense (common words link most sentences), so it is never built. A link's weight
 * depends only on the shared terms and the two lengths, so each iteration sums, per term and per
 * sentence length, what the sentences with that term and length pass on, and every sentence
 * collects those sums for its terms: linear in the number of terms, not quadratic in sentences.
 */
export function textRank(sentences: Sentence[]): number[] {
  const graph = termGraphOf(sentences);
  const totals = graph.collect(graph.sentences.map((groups) => (groups.length > 0 ? 1 : 0)));
  let scores = new Float64Array(sentences.length).fill(1);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const passed = graph.collect(scores.map((score, index) => score / (totals[index] || 1)));
    scores = passed.map((sum) => 1 - DAMPING + DAMPING * sum);
  }
  return Array.from(scores);
}

/**
 * Sentences as lists of groups, a group being one term in sentences of one length. `collect`
 * gives every sentence the sum over its links of weight times the other sentence's value.
 */
function termGraphOf(sentences: Sentence[]) {
  const groupIds = new Map<number, number>();
  const groupTerm: number[] = [];
  const groupLength: number[] = [];
  const termIds = new Map<string, number>();
  const sentenceGroups = sentences.map((sentence) => {
    const terms = [...new Set(sentence.terms)];
    // One term is too little to say what a sentence is about: no links.
    if (terms.length < 2) return [];
    const length = Math.min(terms.length, MAX_LENGTH);
    return terms.map((term) => {
      let termId = termIds.get(term);
      if (termId === undefined) termIds.set(term, (termId = termIds.size));
      const key = termId * (MAX_LENGTH + 1) + length;
      let group = groupIds.get(key);
      if (group === undefined) {
        groupIds.set(key, (group = groupTerm.length));
        groupTerm.push(termId);
        groupLength.push(length);
      }
      return group;
    });
  });
  const termGroups: number[][] = Array.from({ length: termIds.size }, () => []);
  groupTerm.forEach((term, group) => termGroups[term]?.push(group));
  const logLength = (length: number) => Math.log(length + 1);
  const groupLog = groupLength.map(logLength);

  // Typed arrays: the values of every sentence, thirty times over, are no garbage to collect.
  const collect = (values: ArrayLike<number>): Float64Array => {
    const groupSums = new Float64Array(groupTerm.length);
    sentenceGroups.forEach((groups, index) => {
      for (const group of groups) groupSums[group] = (groupSums[group] ?? 0) + (values[index] ?? 0);
    });
    // What a sentence in group `group` receives through that term, itself included.
    const received = new Float64Array(groupTerm.length);
    for (const groups of termGroups) {
      for (const to of groups) {
        const toLog = groupLog[to] ?? 0;
        let sum = 0;
        for (const from of groups) sum += (groupSums[from] ?? 0) / (toLog + (groupLog[from] ?? 0));
        received[to] = sum;
      }
    }
    const collected = new Float64Array(sentenceGroups.length);
    sentenceGroups.forEach((groups, index) => {
      if (groups.length === 0) return;
      const self = (values[index] ?? 0) / (2 * logLength(Math.min(groups.length, MAX_LENGTH)));
      collected[index] = groups.reduce((sum, group) => sum + ((received[group] ?? 0) - self), 0);
    });
    return collected;
  };
  return { sentences: sentenceGroups, collect };
}
