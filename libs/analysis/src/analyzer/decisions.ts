import { AnalysisItem } from './analysis-result';
import { Found, Sentence, sentenceEvidence } from './sentences';

// What a group settles on, said as settled.
const DECISION =
  /\b(?:we(?:'ve| have)?|team|everyone|all)\s+(?:(?:have|has)\s+)?(?:decided|agreed|settled on|chose|are going (?:to go )?with|will go with|'ll go with|are sticking with)\b|\b(?:let's go with|decision is|it's decided|final decision|we're going with)\b/i;
// Proposals and doubts are not decisions, even when they use the same words.
const TENTATIVE =
  /\b(?:should we|shall we|could we|can we|maybe|perhaps|what if|how about|might|i suggest|i propose|i think we should|not sure|haven't decided|have not decided|didn't agree|did not agree|if we)\b/i;

/** Every decision, in transcript order. */
export function decisionsOf(sentences: Sentence[]): Found<AnalysisItem>[] {
  return sentences
    .filter((sentence) => isDecision(sentence.text))
    .map((sentence) => ({ sentence, item: { text: sentence.text, evidence: sentenceEvidence(sentence) } }));
}

export function isDecision(text: string): boolean {
  const normalised = text.replace(/’/g, "'");
  return DECISION.test(normalised) && !TENTATIVE.test(normalised) && !normalised.trimEnd().endsWith('?');
}
