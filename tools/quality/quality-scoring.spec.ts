import { matchItems, itemScores, sameOwner } from './item-matching';
import { porterStem } from './porter-stemmer';
import { meetingTranscript, turnAt, type QmsumMeeting } from './qmsum-meeting';
import { topicStartTurn } from './quality-measure';
import { replaceFigures, FIGURES_END, FIGURES_START } from './quality-report';
import {
  addRetrieval,
  bm25TopTurns,
  citedInGoldShare,
  goldTouchedShare,
  randomTurns,
  retrievalCounts,
  seededRandom,
} from './retrieval-scores';
import { extractiveOracle, longestCommonSubsequence, rouge, rougeTokens } from './rouge';
import { evenBoundaries, goldBoundaries, pk, windowDiff, windowSizeOf } from './segmentation';
import { bestLabelMatch, isEmptyLabel } from './topic-labels';

const words = (text: string) => text.split(' ');

describe('ROUGE', () => {
  it('scores ROUGE-1, ROUGE-2 and ROUGE-L F1 as counted by hand', () => {
    // Unigrams: the x2, cat, on, mat shared = 5 of 6 each side; bigrams: "the cat", "on the",
    // "the mat" = 3 of 5 each side; LCS "the cat on the mat" = 5.
    const scores = rouge(words('the cat sat on the mat'), words('the cat is on the mat'));
    expect(scores.rouge1).toBeCloseTo(5 / 6, 10);
    expect(scores.rouge2).toBeCloseTo(3 / 5, 10);
    expect(scores.rougeL).toBeCloseTo(5 / 6, 10);
  });

  it('clips a repeated word to the times the reference has it', () => {
    // Overlap 1: precision 1/3, recall 1/2, F1 = 2 * (1/6) / (5/6) = 0.4; no bigram shared.
    const scores = rouge(words('the the the'), words('the cat'));
    expect(scores.rouge1).toBeCloseTo(0.4, 10);
    expect(scores.rouge2).toBe(0);
  });

  it('gives 0 for an empty candidate instead of dividing by zero', () => {
    expect(rouge([], words('the cat'))).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
  });

  it('takes the longest common subsequence, gaps allowed', () => {
    expect(longestCommonSubsequence(words('a b c d e'), words('a x c y e'))).toBe(3);
    expect(longestCommonSubsequence(words('a b c'), words('c b a'))).toBe(1);
  });

  it('tokenises lower-case [a-z0-9]+ and stems words longer than three characters', () => {
    expect(rougeTokens("The Meetings DECIDED: we'll buy 2 remotes!")).toEqual([
      'the',
      'meet',
      'decid',
      'we',
      'll',
      'buy',
      '2',
      'remot',
    ]);
  });

  it('stems as Porter did in his paper', () => {
    const expected: Record<string, string> = {
      caresses: 'caress',
      ponies: 'poni',
      agreed: 'agre',
      hopping: 'hop',
      filing: 'file',
      happy: 'happi',
      relational: 'relat',
      generalization: 'gener',
      electrical: 'electr',
      adjustment: 'adjust',
      controll: 'control',
      decisions: 'decis',
    };
    for (const [word, stem] of Object.entries(expected)) expect(porterStem(word)).toBe(stem);
  });
});

describe('extractive oracle', () => {
  const units = [words('a b'), words('c d'), words('a x')];
  const reference = words('a b c d');

  it('adds turns while ROUGE-1 + ROUGE-2 rises and they fit', () => {
    expect(extractiveOracle(units, reference, 4)).toEqual([0, 1]);
  });

  it('never exceeds the length it is given', () => {
    expect(extractiveOracle(units, reference, 3)).toEqual([0]);
    expect(extractiveOracle(units, reference, 1)).toEqual([]);
  });
});

describe('topic segmentation', () => {
  it('turns gold spans into boundaries: gaps join the segment before, the preface the first', () => {
    expect(
      goldBoundaries([[{ start: 0, end: 3 }], [{ start: 6, end: 9 }], [{ start: 4, end: 5 }]], 12),
    ).toEqual([4, 6]);
    expect(goldBoundaries([[{ start: 2, end: 5 }], [{ start: 8, end: 9 }]], 10)).toEqual([8]);
    expect(
      goldBoundaries(
        [
          [
            { start: 0, end: 2 },
            { start: 6, end: 8 },
          ],
          [{ start: 3, end: 5 }],
        ],
        9,
      ),
    ).toEqual([3, 6]);
    expect(
      goldBoundaries(
        [
          [
            { start: 0, end: 2 },
            { start: 3, end: 5 },
          ],
        ],
        6,
      ),
    ).toEqual([]);
  });

  it('computes Pk and WindowDiff over the turnCount - k windows, by hand', () => {
    // k = 2, windows (i, i + 2] for i = 0..7. Reference boundary 5 lies in windows 3 and 4,
    // hypothesis boundary 6 in windows 4 and 5: they disagree in windows 3 and 5.
    expect(pk([5], [6], 10, 2)).toBeCloseTo(2 / 8, 10);
    expect(windowDiff([5], [6], 10, 2)).toBeCloseTo(2 / 8, 10);
    expect(pk([5], [5], 10, 2)).toBe(0);
    expect(pk([5], [], 10, 2)).toBeCloseTo(2 / 8, 10);
  });

  it('lets WindowDiff count boundaries where Pk only asks whether there is one', () => {
    // Reference [4, 5]: window 3 holds both; hypothesis [4] holds one there, none in window 4.
    expect(pk([4, 5], [4], 10, 2)).toBeCloseTo(1 / 8, 10);
    expect(windowDiff([4, 5], [4], 10, 2)).toBeCloseTo(2 / 8, 10);
  });

  it('spaces the even baseline and sizes k from the gold segments', () => {
    expect(evenBoundaries(10, 3)).toEqual([3, 7]);
    expect(evenBoundaries(10, 1)).toEqual([]);
    expect(windowSizeOf([3, 7], 10)).toBe(2);
    expect(windowSizeOf([], 1)).toBe(1);
  });

  it('starts an analyzer topic at its start_ms when it has one, else at its earliest evidence', () => {
    const evidence = (startMs: number) => ({
      segment_id: 's1',
      start_ms: startMs,
      end_ms: 0,
      speaker: 'A',
      quote: 'q',
    });
    expect(topicStartTurn({ text: 'budget', evidence: [evidence(50_000), evidence(20_000)] })).toBe(2);
    expect(topicStartTurn({ text: 'budget', evidence: [evidence(50_000)], start_ms: 70_000 })).toBe(7);
    expect(topicStartTurn({ text: 'budget', evidence: [] })).toBeNull();
  });
});

describe('topic labels', () => {
  it('calls a label of fillers, stop words, number words or backchannels empty', () => {
    for (const label of ['two', 'mm-hmm', "we've", 'not', 'something', 'Yeah okay', '42']) {
      expect(isEmptyLabel(label)).toBe(true);
    }
    expect(isEmptyLabel('remote control battery')).toBe(false);
  });

  it('matches a label to its best gold name by token F1 over stemmed content words', () => {
    // {remot, control} against {remot, control, design}: precision 1, recall 2/3, F1 0.8.
    expect(bestLabelMatch('remote controls', ['Budget', 'Remote control design'])).toBeCloseTo(0.8, 10);
    expect(bestLabelMatch('the', ['the budget'])).toBe(0);
  });
});

describe('custom-prompt retrieval', () => {
  it('counts cited turns inside gold spans and gold spans touched, pooled over questions', () => {
    const first = retrievalCounts(
      [1, 5, 9],
      [
        { start: 0, end: 2 },
        { start: 4, end: 5 },
        { start: 20, end: 30 },
      ],
    );
    expect(first).toEqual({
      questions: 1,
      citations: 3,
      citationsInGold: 2,
      goldSpans: 3,
      goldSpansTouched: 2,
    });
    const pooled = addRetrieval(first, retrievalCounts([], [{ start: 0, end: 0 }]));
    expect(citedInGoldShare(pooled)).toBeCloseTo(2 / 3, 10);
    expect(goldTouchedShare(pooled)).toBeCloseTo(2 / 4, 10);
    expect(citedInGoldShare(retrievalCounts([], []))).toBe(0);
  });

  it('ranks single turns by textbook BM25, the shorter turn first at close term frequency', () => {
    // "budget" in 2 of 3 non-empty turns. Turn 0 (tf 2, 3 terms) scores 4.4 / 3.457 = 1.273 x IDF,
    // turn 3 (tf 1, 1 term) 2.2 / 1.686 = 1.305 x IDF, with mean length 7/3.
    const turns = ['budget talk budget', 'remote control design', '', 'the budget'];
    expect(bm25TopTurns(turns, 'What about the budget?', 1)).toEqual([3]);
    expect(bm25TopTurns(turns, 'What about the budget?', 5)).toEqual([0, 3]);
    expect(bm25TopTurns(turns, 'What about it?', 5)).toEqual([]);
  });

  it('draws the same distinct random turns for the same seed', () => {
    const candidates = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const first = randomTurns(candidates, 4, seededRandom(7));
    expect(randomTurns(candidates, 4, seededRandom(7))).toEqual(first);
    expect(new Set(first).size).toBe(4);
    expect(randomTurns([3, 4], 5, seededRandom(7))).toEqual([3, 4]);
  });
});

describe('tasks and decisions against labels', () => {
  it('matches within +/-3 turns, never beyond', () => {
    expect(matchItems([5], [8])).toEqual([{ predicted: 0, gold: 0 }]);
    expect(matchItems([5], [9])).toEqual([]);
    expect(matchItems([5], [2])).toEqual([{ predicted: 0, gold: 0 }]);
  });

  it('matches each item once, nearest pairs first', () => {
    // Prediction 1 (turn 11) is nearer gold 0 (turn 12) than prediction 0 (turn 10) is, so
    // prediction 0 is a duplicate and stays unmatched.
    expect(matchItems([10, 11, 50], [12, 30])).toEqual([{ predicted: 1, gold: 0 }]);
    expect(matchItems([10], [8, 11])).toEqual([{ predicted: 0, gold: 1 }]);
    expect(matchItems([10, 13], [11, 14])).toEqual([
      { predicted: 0, gold: 0 },
      { predicted: 1, gold: 1 },
    ]);
    expect(matchItems([Number.NaN], [0])).toEqual([]);
  });

  it('scores precision, recall, F1 and owner accuracy from the counts', () => {
    const scores = itemScores({ predicted: 3, gold: 2, matched: 1, ownersRight: 1 });
    expect(scores.precision).toBeCloseTo(1 / 3, 10);
    expect(scores.recall).toBeCloseTo(1 / 2, 10);
    expect(scores.f1).toBeCloseTo(0.4, 10);
    expect(scores.ownerAccuracy).toBe(1);
    expect(itemScores({ predicted: 0, gold: 0, matched: 0, ownersRight: 0 }).f1).toBe(0);
    expect(sameOwner('industrial  designer', 'Industrial Designer')).toBe(true);
    expect(sameOwner(null, 'all')).toBe(false);
  });
});

describe('meetings through the product parser', () => {
  it('removes annotation tokens, leaves empty turns out and keeps each turn index in the start time', () => {
    const meeting: QmsumMeeting = {
      name: 'ES0000a',
      source: 'AMI',
      turns: [
        { speaker: 'Marketing', content: '{vocalsound} {disfmarker}' },
        { speaker: 'Project Manager', content: 'Hello {disfmarker}   there .' },
        { speaker: 'Marketing', content: 'Okay .' },
      ],
      topics: [],
      generalQueries: [],
      specificQueries: [],
    };
    const transcript = meetingTranscript(meeting);
    expect(
      transcript.segments.map((segment) => [turnAt(segment.startMs), segment.speakerLabel, segment.text]),
    ).toEqual([
      [1, 'Project Manager', 'Hello there .'],
      [2, 'Marketing', 'Okay .'],
    ]);
  });
});

describe('docs/quality.md figures block', () => {
  it('replaces only the text between the markers', () => {
    const document = `intro\n\n${FIGURES_START}\nold figures\n${FIGURES_END}\n\nmethod prose\n`;
    expect(replaceFigures(document, 'new figures\n')).toBe(
      `intro\n\n${FIGURES_START}\n\nnew figures\n\n${FIGURES_END}\n\nmethod prose\n`,
    );
    expect(() => replaceFigures('no markers', 'x')).toThrow(/quality:figures:start/);
  });
});
