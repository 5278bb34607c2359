import { Segment, UNKNOWN_SPEAKER_ID } from '../transcript';
import { AnalysisItem, Evidence } from './analysis-result';
import { Sentence, evidenceOf, isQuestion, sentenceEvidence, wordCount } from './sentences';
import { fluentText, isBackchannel } from './spoken';
import { TopicSegment } from './topic-segments';

/** About the length of the human whole-meeting summaries of QMSum (~110 words). */
export const SUMMARY_WORDS = 110;
/** Longer sentences are rambling turns in speech: they would take half the budget. */
const MAX_SENTENCE_WORDS = 60;
const MIN_SENTENCE_WORDS = 4;
/** Two sentences sharing this share of their terms say the same thing: keep the first chosen. */
const REDUNDANT = 0.5;
/** A speaker holding this share of a stretch's words led it (a presentation, a report). */
const LEAD_SHARE = 0.7;
/** The most topics the overview walks through; the rest of the budget is the meeting's own words. */
const MAX_OVERVIEW_TOPICS = 6;

/** Counting aloud ("fifty one, two, three") says nothing about the meeting. */
const NUMBER_WORD =
  /^(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)$/;

/** A question cut off before its question mark is still a question. */
const ASKING =
  /^(?:\W*(?:and|so|but|um|uh|well|okay|ok|yeah)\W+)*(?:do|does|did|is|are|was|were|can|could|would|should|shall|what|how|why|where|who|which|when)\b/i;

export interface SummaryOptions {
  /** The most extracted sentences, whatever their length (short transcripts get a few). */
  maxSentences: number;
  /** Sentence indexes never summarised (tasks, questions) while others remain. */
  exclude: ReadonlySet<number>;
  /** The meeting's topic stretches, in order; with two or more, the summary walks through them. */
  topics: readonly TopicSegment[];
  segments: readonly Segment[];
  /** Sentences stating outcomes, listed first among the extracted ones. */
  decisions: ReadonlySet<number>;
  words?: number;
}

export interface SummaryLine {
  /** The extracted sentence, or null for an overview line written from the topics. */
  sentenceIndex: number | null;
  item: AnalysisItem;
}

/**
 * A summary of about SUMMARY_WORDS words, as a note-taker writes it: for a meeting of several
 * topics, an overview line per topic (who led it, what it was about: its noun-phrase label),
 * then the meeting's best sentences (TextRank weighed toward sentences dense in the meeting's
 * frequent terms, decisions first, no two saying the same) in transcript order. Every line is
 * fluent (fillers and stutters removed); its evidence quotes the transcript verbatim.
 */
export function summaryOf(sentences: Sentence[], scores: number[], options: SummaryOptions): SummaryLine[] {
  const budget = options.words ?? SUMMARY_WORDS;
  const overview = overviewOf(options.topics, options.segments, sentences);
  const overviewWords = overview.reduce((sum, line) => sum + wordCount(line.item.text), 0);
  const extracted = extractedOf(sentences, scores, options, budget - overviewWords);
  return [...overview, ...extracted];
}

function extractedOf(
  sentences: Sentence[],
  scores: number[],
  options: SummaryOptions,
  budget: number,
): SummaryLine[] {
  // Cheap tests first: only plausible sentences are rewritten fluently.
  const candidates = sentences
    .filter(
      (sentence) =>
        !options.exclude.has(sentence.index) &&
        !isQuestion(sentence) &&
        !ASKING.test(sentence.text) &&
        new Set(sentence.terms.filter((term) => !NUMBER_WORD.test(term))).size >= 2 &&
        !isBackchannel(sentence.text),
    )
    .map((sentence) => ({ sentence, text: fluentText(sentence.text) }))
    .filter(({ text }) => {
      const words = wordCount(text);
      return words >= MIN_SENTENCE_WORDS && words <= MAX_SENTENCE_WORDS;
    });
  const frequency = new Map<string, number>();
  for (const { sentence } of candidates) {
    for (const term of new Set(sentence.terms)) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  }
  const value = ({ sentence, text }: { sentence: Sentence; text: string }) => {
    const terms = [...new Set(sentence.terms)];
    const density =
      terms.reduce((sum, term) => sum + Math.log(1 + (frequency.get(term) ?? 0)), 0) /
      Math.sqrt(wordCount(text));
    const outcome = options.decisions.has(sentence.index) ? DECISION_BOOST : 1;
    return (scores[sentence.index] ?? 0) * density * outcome;
  };
  const ranked = candidates
    .map((candidate) => ({ ...candidate, value: value(candidate) }))
    .sort((a, b) => b.value - a.value || a.sentence.index - b.sentence.index);
  const chosen: typeof ranked = [];
  let words = 0;
  for (const candidate of ranked) {
    if (chosen.length >= options.maxSentences || words >= budget * 0.9) break;
    const length = wordCount(candidate.text);
    if (words + length > budget * 1.15) continue;
    const terms = new Set(candidate.sentence.terms);
    const repeats = chosen.some(({ sentence }) => {
      const shared = sentence.terms.filter((term) => terms.has(term));
      return new Set(shared).size >= REDUNDANT * Math.min(terms.size, new Set(sentence.terms).size);
    });
    if (repeats) continue;
    chosen.push(candidate);
    words += length;
  }
  return chosen
    .sort((a, b) => a.sentence.index - b.sentence.index)
    .map(({ sentence, text }) => ({
      sentenceIndex: sentence.index,
      item: { text, evidence: sentenceEvidence(sentence) },
    }));
}

/** An outcome is what a summary must say: a decision ranks as three ordinary sentences. */
const DECISION_BOOST = 3;

/**
 * One line per topic stretch (the longest few when there are many), in order: "First, Marketing
 * talked about the market trends." or "Then the group discussed the remote control battery."
 */
function overviewOf(
  topics: readonly TopicSegment[],
  segments: readonly Segment[],
  sentences: Sentence[],
): SummaryLine[] {
  const labelled = topics.filter((topic) => topic.label !== '' && topic.firstSentence !== null);
  if (labelled.length < 2) return [];
  const shown = [...labelled]
    .sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start)
    .slice(0, MAX_OVERVIEW_TOPICS)
    .sort((a, b) => a.start - b.start);
  void sentences;
  const lines = shown.map((topic, index) => {
    const [lead, second] = leadSpeakersOf(topic, segments);
    const connective = index === 0 ? 'First, ' : index === shown.length - 1 ? 'Finally, ' : 'Then ';
    const subject =
      lead && !second
        ? `${lead} talked about`
        : lead && second
          ? `${lead} and ${second} discussed`
          : `the group discussed`;
    const text = `${connective}${subject} the ${topic.label}.`;
    return {
      sentenceIndex: null,
      item: { text: `${text.charAt(0).toUpperCase()}${text.slice(1)}`, evidence: topicEvidence(topic) },
    };
  });
  const [main, second] = [...labelled].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  if (!main || !second) return lines;
  const opening = {
    sentenceIndex: null,
    item: {
      text: `The meeting was about the ${main.label} and the ${second.label}.`,
      evidence: [...topicEvidence(main), ...topicEvidence(second)],
    },
  };
  return [opening, ...lines];
}

function topicEvidence(topic: TopicSegment): Evidence[] {
  return [topic.firstSentence, topic.labelSentence]
    .filter((sentence): sentence is Sentence => sentence !== null)
    .filter((sentence, index, all) => all.indexOf(sentence) === index)
    .map((sentence) => evidenceOf(sentence.segment, sentence.text));
}

/**
 * Who led a stretch: the speaker with LEAD_SHARE or more of its words alone, else the two
 * who together hold that share; none when the talk was spread wider.
 */
function leadSpeakersOf(topic: TopicSegment, segments: readonly Segment[]): string[] {
  const words = new Map<string, number>();
  let total = 0;
  for (const segment of segments.slice(topic.start, topic.end)) {
    if (segment.speakerId === UNKNOWN_SPEAKER_ID) continue;
    const count = wordCount(segment.text);
    words.set(segment.speakerLabel, (words.get(segment.speakerLabel) ?? 0) + count);
    total += count;
  }
  const [first, second] = [...words.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en'));
  if (!first || total === 0) return [];
  if (first[1] / total >= LEAD_SHARE) return [first[0]];
  if (second && (first[1] + second[1]) / total >= LEAD_SHARE) return [first[0], second[0]];
  return [];
}
