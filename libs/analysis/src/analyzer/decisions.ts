import { Segment } from '../transcript';
import { AnalysisItem } from './analysis-result';
import { Found, Sentence, sentenceEvidence } from './sentences';
import { fluentText, isBackchannel } from './spoken';

// What a group settles on, said as settled.
const DECISION =
  /\b(?:we(?:'ve| have)?|team|everyone|all)\s+(?:(?:have|has)\s+)?(?:decided|agreed|settled on|chose|are going (?:to go )?with|will go with|'ll go with|are sticking with)\b|\b(?:let's go with|decision is|it's decided|final decision|we're going with)\b/i;
// Proposals and doubts are not decisions, even when they use the same words.
const TENTATIVE =
  /\b(?:should we|shall we|could we|can we|maybe|perhaps|what if|how about|might|i suggest|i propose|i think we should|not sure|haven't decided|have not decided|didn't agree|did not agree|if we|last time|last meeting|previous meeting|take a decision)\b/i;

// Spoken conclusions: "so we'll go for the rubber case", "okay so we stick to battery",
// "so the colour is yellow", "we can keep the wheel", "let's put it on the side".
const CONCLUSION =
  /\b(?:so|okay|ok|right|alright|then)\b[\s,]+(?:i think )?(?:we(?:'ll| will| are going to)? (?:agree|stick|go for|go with|keep|can keep|use|put)|we said|i'll (?:remove|put|take|add|keep)|let's (?:go|put|use|keep|have|stick|say|take|do|make)|it(?:'ll| will)? be|the \w+ (?:is|will be|would be))\b|\bwe (?:can|could|will|'ll) (?:keep|stick|go for|go with|use|take|put)\b|\b(?:(?:we|let's) stick (?:to|with)|go for (?:the|a|it)|agreed|we agree|that's settled|that's decided|no problem|i don't mind|put it there)\b/i;
// Proposals still open, doubts and questions of method settle nothing.
const OPEN =
  /\b(?:have to decide|has to be decided|need to decide|should decide|don't have to decide|not decided|come back (?:on|to)|previous meeting|last meeting|last time|think about|don't know|dunno|not sure|i wonder|whether|or not|if we|next slide|next page|presentation|start with|move (?:on|to)|decision|have to figure|end of the meeting|lunch|hassle|in a minute)\b|^\W*(?:\w+\W+)?if\b/i;
const ACCEPT =
  /^(?:yes|yeah|yep|okay|ok|sure|fine|good|great|agreed|right|exactly|definitely|absolutely|alright|mm-hmm|that's (?:fine|good|great|it)|i agree|no problem|why not)\b/i;
/** Decisions this many turns apart or closer are one decision, told and confirmed. */
const SAME_DECISION_TURNS = 4;

/** Every decision, in transcript order. */
export function decisionsOf(sentences: Sentence[], segments: readonly Segment[] = []): Found<AnalysisItem>[] {
  const turnIndex = new Map(segments.map((segment, index) => [segment, index]));
  const found: { sentence: Sentence; score: number; turn: number }[] = [];
  for (const sentence of sentences) {
    const turn = turnIndex.get(sentence.segment) ?? sentence.index;
    if (isDecision(sentence.text)) {
      found.push({ sentence, score: EXPLICIT, turn });
      continue;
    }
    const score = spokenDecisionScore(sentence, turn, segments);
    if (score >= THRESHOLD) found.push({ sentence, score, turn });
  }
  // One decision is often concluded, then confirmed: keep the strongest sentence of a run.
  const kept: typeof found = [];
  for (const entry of found.sort((a, b) => b.score - a.score || a.sentence.index - b.sentence.index)) {
    const explicit = entry.score >= EXPLICIT;
    if (explicit || kept.every((other) => Math.abs(other.turn - entry.turn) > SAME_DECISION_TURNS))
      kept.push(entry);
  }
  return kept
    .sort((a, b) => a.sentence.index - b.sentence.index)
    .map(({ sentence }) => ({
      sentence,
      item: { text: decisionText(sentence), evidence: sentenceEvidence(sentence) },
    }));
}

/** Said as decided ("we decided", "we agreed"): always listed. */
const EXPLICIT = 10;
/** A conclusion, even hedged, or one the next speaker accepts (scores below). */
const THRESHOLD = 1;

/**
 * A spoken decision: a conclusion ("okay so we stick to one battery") the others accept, not
 * a question, not a proposal still open. Scores: 2 for a conclusion, 1 more when the next
 * turn by someone else accepts it, 1 less when it is hedged.
 */
function spokenDecisionScore(sentence: Sentence, turn: number, segments: readonly Segment[]): number {
  const text = sentence.text.replace(/’/g, "'");
  if (OPEN.test(text)) return 0;
  // "So we will just use a standard battery?" "Yeah.": a proposal the others take.
  if (text.endsWith('?')) {
    const substantial =
      new Set(sentence.terms).size >= 2 &&
      sentence.text.split(/\s+/).length >= 5 &&
      !/\b(?:you think|how|cannot|can't|what)\b/i.test(text);
    return substantial &&
      PROPOSAL.test(text) &&
      !WH_QUESTION.test(text) &&
      acceptedNext(sentence.segment, turn, segments)
      ? 2
      : 0;
  }
  // "Okay, no problem." "I don't mind.": accepting what the turn before proposed.
  if (ACCEPTING.test(text) && proposedBefore(sentence.segment, turn, segments)) return 2;
  if (isBackchannel(text) || sentence.terms.length < 2) return 0;
  let score = CONCLUSION.test(text) ? 2 : 0;
  if (score === 0) return 0;
  if (acceptedNext(sentence.segment, turn, segments)) score += 1;
  if (/\b(?:maybe|perhaps|i guess|might|could be|probably)\b/i.test(text)) score -= 1;
  return score;
}

// "Yellow then?", "So we will just use a standard battery?": a settled-sounding proposal.
const PROPOSAL =
  /\bthen\s*\?$|^(?:\W*(?:okay|ok|and|um|uh)\W+)*so we\b|\bwe(?:'ll| will) (?:just )?(?:use|have|take|put|keep|make|go)\b/i;
const WH_QUESTION =
  /^(?:\W*(?:and|so|okay|um|uh|but)\W+)*(?:what|how|why|where|who|which|when|do you|does|is there|are there|any|can|could|shall|should|if)\b/i;
const ACCEPTING =
  /\b(?:no problem|i don't mind|put it there|fine with me|sounds good|good idea|let's do (?:it|that))\b/i;

/** The turn before, by someone else, said something of substance (five words or more). */
function proposedBefore(segment: Segment, turn: number, segments: readonly Segment[]): boolean {
  const previous = segments[turn - 1];
  return (
    previous !== undefined &&
    previous.speakerId !== segment.speakerId &&
    previous.text.split(/\s+/).length >= 8 &&
    !previous.text.trim().endsWith('?')
  );
}

/** The next turn by another speaker (within two turns) agrees. */
function acceptedNext(segment: Segment, turn: number, segments: readonly Segment[]): boolean {
  for (let at = turn + 1; at <= Math.min(segments.length - 1, turn + 2); at++) {
    const next = segments[at];
    if (next && next.speakerId !== segment.speakerId) return ACCEPT.test(next.text.trim());
  }
  return false;
}

/** Spoken decisions are listed fluently; tidy ones as said. */
function decisionText(sentence: Sentence): string {
  return /\b(?:um|uh|mm)\b| \.|\s,/.test(sentence.text) ? fluentText(sentence.text) : sentence.text;
}

export function isDecision(text: string): boolean {
  const normalised = text.replace(/’/g, "'");
  return DECISION.test(normalised) && !TENTATIVE.test(normalised) && !normalised.trimEnd().endsWith('?');
}
