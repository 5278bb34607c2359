import { AnalysisItem } from './analysis-result';
import { Sentence, sentenceEvidence, wordCount } from './sentences';

const SIGNAL =
  /\b(?:important|key|critical|biggest|main|problem|risk|percent|decided|agreed|goal|because|result|dropped|grew|increase|decrease)\b|\d/i;
const HEDGE = /\b(?:um|uh|i guess|sort of|kind of|you know|i mean)\b/i;
const APHORISM =
  /\b(?:is|are) (?:the|what|how|about|not)\b|\b(?:never|always|every|first|best|most|cheapest|only)\b|\w+est\b/i;

/** Sentences in transcript order of the `count` best-ranked (ties: earlier first), `exclude`d indexes aside. */
export function topSentences(
  sentences: Sentence[],
  scores: number[],
  count: number,
  exclude: ReadonlySet<number> = new Set<number>(),
): Sentence[] {
  return sentences
    .filter((sentence) => !exclude.has(sentence.index) && wordCount(sentence.text) >= 4)
    .sort((a, b) => (scores[b.index] ?? 0) - (scores[a.index] ?? 0) || a.index - b.index)
    .slice(0, count)
    .sort((a, b) => a.index - b.index);
}

export function summaryCount(sentences: number): number {
  return Math.min(7, Math.max(1, Math.ceil(sentences / 6)));
}

export function asItem(sentence: Sentence): AnalysisItem {
  return { text: sentence.text, evidence: sentenceEvidence(sentence) };
}

/** Highlights: well-ranked sentences carrying a signal (a number, a risk, a result). */
export function highlightsOf(
  sentences: Sentence[],
  scores: number[],
  count: number,
  exclude: ReadonlySet<number>,
): AnalysisItem[] {
  const boosted = sentences.map(
    (sentence) => (scores[sentence.index] ?? 0) * (SIGNAL.test(sentence.text) ? 2 : 1),
  );
  return topSentences(sentences, boosted, count, exclude).map(asItem);
}

/** Short, declarative, general statements that read well on their own. */
export function quotablesOf(sentences: Sentence[], scores: number[], count: number): AnalysisItem[] {
  const quotability = (sentence: Sentence): number => {
    const words = wordCount(sentence.text);
    if (words < 5 || words > 25 || sentence.text.endsWith('?') || HEDGE.test(sentence.text)) return 0;
    let score = APHORISM.test(sentence.text) ? 2 : 0;
    if (words <= 16) score += 1;
    if (/^(?:and|but|so|because|i'll|i will)\b/i.test(sentence.text)) score -= 2;
    return score >= 2 ? score + (scores[sentence.index] ?? 0) / 10 : 0;
  };
  const values = sentences.map(quotability);
  return sentences
    .filter((sentence) => (values[sentence.index] ?? 0) > 0)
    .sort((a, b) => (values[b.index] ?? 0) - (values[a.index] ?? 0) || a.index - b.index)
    .slice(0, count)
    .sort((a, b) => a.index - b.index)
    .map(asItem);
}
