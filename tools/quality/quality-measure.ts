/**
 * The measurements of `npm run quality`: the product's parser and offline analyzer run in this
 * process over QMSum meetings, scored against the benchmark's human summaries, topic spans and
 * question spans, and against the hand labels of tasks and decisions.
 */
import { performance } from 'node:perf_hooks';
import {
  analyze,
  bestPassages,
  type AnalysisItem,
  type AnalysisResult,
  type Transcript,
} from '@scriptripper/analysis';
import { addItems, matchItems, NO_ITEMS, sameOwner, type ItemCounts } from './item-matching';
import {
  evidenceTurn,
  meetingTranscript,
  turnAt,
  turnText,
  wholeMeetingSummary,
  type MeetingSource,
  type QmsumMeeting,
} from './qmsum-meeting';
import {
  addRetrieval,
  bm25TopTurns,
  NO_RETRIEVAL,
  randomTurns,
  retrievalCounts,
  seededRandom,
  type RetrievalCounts,
} from './retrieval-scores';
import { extractiveOracle, rouge, rougeTokens, type RougeScores } from './rouge';
import {
  evenBoundaries,
  goldBoundaries,
  normalisedBoundaries,
  pk,
  windowDiff,
  windowSizeOf,
} from './segmentation';
import type { LabelledMeeting } from './task-labels';
import { bestLabelMatch, isEmptyLabel } from './topic-labels';

/**
 * Passages an offline answer quotes: the worker's OfflinePromptAnswerer
 * (apps/worker/src/answer-prompt/offline-prompt-answerer.ts) asks bestPassages for 3 and cites
 * every segment of each. Tools may not import apps, so the call is repeated here; keep them equal.
 */
export const OFFLINE_ANSWER_PASSAGES = 3;
/** Words in a transcript hour, as tools/bench counts one. */
export const HOUR_WORDS = 9_000;
const CHANCE_DRAWS = 20;
const CHANCE_SEED = 20_210_601;

/** One meeting run through the analyzer: what every figure below is computed from. */
export interface AnalysedMeeting {
  readonly meeting: QmsumMeeting;
  readonly transcript: Transcript;
  readonly result: AnalysisResult;
  readonly analyzeMs: number;
}

export function analyseMeeting(meeting: QmsumMeeting): AnalysedMeeting {
  const started = performance.now();
  const transcript = meetingTranscript(meeting);
  const result = analyze(transcript, { profile: 'meeting' });
  return { meeting, transcript, result, analyzeMs: performance.now() - started };
}

// ---------------------------------------------------------------- summary

export interface SummaryScores {
  readonly meeting: string;
  readonly source: MeetingSource;
  readonly analyzer: RougeScores;
  readonly lead: RougeScores;
  readonly oracle: RougeScores;
  readonly analyzerWords: number;
  readonly oracleWords: number;
  readonly humanWords: number;
  /** False when the meeting's general query is worded otherwise ("What was the meeting about?"). */
  readonly worded: boolean;
}

/** Null when the meeting has no general query to score against. */
export function summaryScores({ meeting, result }: AnalysedMeeting): SummaryScores | null {
  const reference = wholeMeetingSummary(meeting);
  if (!reference) return null;
  const referenceTokens = rougeTokens(reference.answer);
  const candidate = rougeTokens((result.summary ?? []).map((item) => item.text).join(' '));
  const turns = meeting.turns.map((turn) => rougeTokens(turnText(turn.content)));
  const lead = turns.flat().slice(0, candidate.length);
  const chosen = extractiveOracle(turns, referenceTokens, candidate.length);
  const oracle = chosen.flatMap((index) => turns[index] ?? []);
  return {
    meeting: meeting.name,
    source: meeting.source,
    analyzer: rouge(candidate, referenceTokens),
    lead: rouge(lead, referenceTokens),
    oracle: rouge(oracle, referenceTokens),
    analyzerWords: candidate.length,
    oracleWords: oracle.length,
    humanWords: referenceTokens.length,
    worded: reference.worded,
  };
}

// ---------------------------------------------------------------- topics

export interface SegmentationScores {
  readonly pk: number;
  readonly windowDiff: number;
  readonly boundaries: number;
}

export interface TopicScores {
  readonly meeting: string;
  readonly turns: number;
  readonly k: number;
  readonly goldBoundaries: number;
  readonly analyzer: SegmentationScores;
  readonly none: SegmentationScores;
  readonly even: SegmentationScores;
  readonly labels: readonly { readonly label: string; readonly empty: boolean; readonly bestMatch: number }[];
  readonly goldTopics: number;
}

/**
 * A topic starts at its own `start_ms` when it carries one (a segment range), else at the
 * earliest turn of its evidence; the analyzer's boundaries are those starts after turn 0.
 */
export function topicStartTurn(topic: AnalysisItem & { start_ms?: unknown }): number | null {
  if (typeof topic.start_ms === 'number') return turnAt(topic.start_ms);
  const turns = topic.evidence.map(evidenceTurn);
  return turns.length === 0 ? null : Math.min(...turns);
}

export function topicScores({ meeting, result }: AnalysedMeeting): TopicScores {
  const turnCount = meeting.turns.length;
  const reference = goldBoundaries(
    meeting.topics.map((topic) => topic.spans),
    turnCount,
  );
  const k = windowSizeOf(reference, turnCount);
  const scored = (hypothesis: number[]): SegmentationScores => ({
    pk: pk(reference, hypothesis, turnCount, k),
    windowDiff: windowDiff(reference, hypothesis, turnCount, k),
    boundaries: hypothesis.length,
  });
  const topics = result.topics ?? [];
  const starts = topics.map(topicStartTurn).filter((turn): turn is number => turn !== null);
  const goldNames = meeting.topics.map((topic) => topic.name);
  return {
    meeting: meeting.name,
    turns: turnCount,
    k,
    goldBoundaries: reference.length,
    analyzer: scored(normalisedBoundaries(starts, turnCount)),
    none: scored([]),
    even: scored(evenBoundaries(turnCount, reference.length + 1)),
    labels: topics.map((topic) => ({
      label: topic.text,
      empty: isEmptyLabel(topic.text),
      bestMatch: bestLabelMatch(topic.text, goldNames),
    })),
    goldTopics: meeting.topics.length,
  };
}

// ---------------------------------------------------------------- custom prompts

export interface RetrievalFigures {
  readonly analyzer: RetrievalCounts;
  readonly bm25: RetrievalCounts;
  /** Pooled over all draws. */
  readonly chance: RetrievalCounts;
  /** Turns the BM25 baseline cites per question: the analyzer's mean citation count, rounded. */
  readonly bm25K: number;
  readonly draws: number;
}

/** The turns the offline answer to `query` cites, as the worker's answerer would cite them. */
export function offlineAnswerTurns(transcript: Transcript, query: string): number[] {
  return bestPassages(transcript, query, { limit: OFFLINE_ANSWER_PASSAGES }).flatMap((passage) =>
    passage.segments.map((segment) => turnAt(segment.startMs)),
  );
}

export function retrievalFigures(analysed: readonly AnalysedMeeting[]): RetrievalFigures {
  const questions = analysed.flatMap(({ meeting, transcript }) =>
    meeting.specificQueries
      .filter((query) => query.spans.length > 0)
      .map((query) => ({ meeting, query, cited: offlineAnswerTurns(transcript, query.query) })),
  );
  const analyzer = questions.reduce(
    (sum, { query, cited }) => addRetrieval(sum, retrievalCounts(cited, query.spans)),
    NO_RETRIEVAL,
  );
  const bm25K = Math.max(1, Math.round(analyzer.citations / Math.max(1, analyzer.questions)));
  let bm25 = NO_RETRIEVAL;
  let chance = NO_RETRIEVAL;
  const random = seededRandom(CHANCE_SEED);
  for (const { meeting, query, cited } of questions) {
    const texts = meeting.turns.map((turn) => turnText(turn.content));
    bm25 = addRetrieval(bm25, retrievalCounts(bm25TopTurns(texts, query.query, bm25K), query.spans));
    const spoken = texts.flatMap((text, turn) => (text === '' ? [] : [turn]));
    for (let draw = 0; draw < CHANCE_DRAWS; draw++) {
      chance = addRetrieval(chance, retrievalCounts(randomTurns(spoken, cited.length, random), query.spans));
    }
  }
  return { analyzer, bm25, chance, bm25K, draws: CHANCE_DRAWS };
}

// ---------------------------------------------------------------- tasks and decisions

export interface ItemFigures {
  readonly meetings: number;
  readonly tasks: ItemCounts;
  readonly decisions: ItemCounts;
}

/** Predicted items at their first evidence turn (an item without evidence matches nothing). */
export function itemFigures(
  labelled: readonly { labels: LabelledMeeting; result: AnalysisResult }[],
): ItemFigures {
  let tasks = NO_ITEMS;
  let decisions = NO_ITEMS;
  for (const { labels, result } of labelled) {
    const predictedTasks = result.tasks ?? [];
    const taskMatches = matchItems(
      predictedTasks.map((task) => firstEvidenceTurn(task)),
      labels.tasks.map((task) => task.turn),
    );
    tasks = addItems(tasks, {
      predicted: predictedTasks.length,
      gold: labels.tasks.length,
      matched: taskMatches.length,
      ownersRight: taskMatches.filter(({ predicted, gold }) =>
        sameOwner(predictedTasks[predicted]?.owner.name ?? null, labels.tasks[gold]?.owner ?? ''),
      ).length,
    });
    const predictedDecisions = result.decisions ?? [];
    decisions = addItems(decisions, {
      predicted: predictedDecisions.length,
      gold: labels.decisions.length,
      matched: matchItems(
        predictedDecisions.map((decision) => firstEvidenceTurn(decision)),
        labels.decisions.map((decision) => decision.turn),
      ).length,
      ownersRight: 0,
    });
  }
  return { meetings: labelled.length, tasks, decisions };
}

function firstEvidenceTurn(item: AnalysisItem): number {
  const evidence = item.evidence[0];
  return evidence ? evidenceTurn(evidence) : Number.NaN;
}

// ---------------------------------------------------------------- speed

export interface SpeedFigures {
  readonly words: number;
  readonly ms: number;
}

export function speedFigures(analysed: readonly AnalysedMeeting[]): SpeedFigures {
  return {
    words: analysed.reduce((sum, { result }) => sum + result.transcript.words, 0),
    ms: analysed.reduce((sum, { analyzeMs }) => sum + analyzeMs, 0),
  };
}
