/**
 * The figures of `npm run quality` as the Markdown block that stands between the markers of
 * docs/quality.md (and is printed as is). Only the block is ever rewritten: the prose around
 * it belongs to whoever writes it.
 */
import { itemScores, type ItemCounts } from './item-matching';
import { MEETING_SOURCES, type MeetingSource } from './qmsum-meeting';
import type {
  ItemFigures,
  RetrievalFigures,
  SpeedFigures,
  SummaryScores,
  TopicScores,
} from './quality-measure';
import { HOUR_WORDS } from './quality-measure';
import { citedInGoldShare, goldTouchedShare, type RetrievalCounts } from './retrieval-scores';
import type { RougeScores } from './rouge';
import type { LabelsFile } from './task-labels';

export const FIGURES_START = '<!-- quality:figures:start -->';
export const FIGURES_END = '<!-- quality:figures:end -->';

/** The document with the block between the markers replaced; throws when the markers are missing. */
export function replaceFigures(document: string, block: string): string {
  const start = document.indexOf(FIGURES_START);
  const end = document.indexOf(FIGURES_END);
  if (start < 0 || end < start) {
    throw new Error(`docs/quality.md must hold ${FIGURES_START} followed by ${FIGURES_END}`);
  }
  return `${document.slice(0, start + FIGURES_START.length)}\n\n${block.trim()}\n\n${document.slice(end)}`;
}

export interface ItemSet {
  readonly title: string;
  readonly file: LabelsFile;
  readonly figures: ItemFigures | null;
  /** Labelled meetings not found in the benchmark folder. */
  readonly unknownMeetings: readonly string[];
}

export interface QualityFigures {
  readonly meetings: number;
  readonly summaries: readonly SummaryScores[];
  readonly topics: readonly TopicScores[];
  readonly retrieval: RetrievalFigures;
  readonly items: readonly ItemSet[];
  readonly speed: SpeedFigures;
}

export function figuresMarkdown(figures: QualityFigures): string {
  return [
    summarySection(figures.summaries),
    topicSection(figures.topics),
    retrievalSection(figures.retrieval),
    itemsSection(figures.items),
    speedSection(figures.speed),
  ].join('\n\n');
}

function summarySection(summaries: readonly SummaryScores[]): string {
  const sets: [string, readonly SummaryScores[]][] = [
    ['all', summaries],
    ...MEETING_SOURCES.map((source: MeetingSource): [string, readonly SummaryScores[]] => [
      source,
      summaries.filter((scores) => scores.source === source),
    ]),
  ];
  const rows = sets
    .filter(([, scores]) => scores.length > 0)
    .flatMap(([name, scores]) => {
      const mean = (pick: (scores: SummaryScores) => number) => average(scores.map(pick));
      const rougeCells = (pick: (scores: SummaryScores) => RougeScores) => [
        points(mean((s) => pick(s).rouge1)),
        points(mean((s) => pick(s).rouge2)),
        points(mean((s) => pick(s).rougeL)),
      ];
      return [
        [
          name,
          String(scores.length),
          'analyzer',
          ...rougeCells((s) => s.analyzer),
          whole(mean((s) => s.analyzerWords)),
        ],
        [
          name,
          String(scores.length),
          'Lead-k (same length)',
          ...rougeCells((s) => s.lead),
          whole(mean((s) => s.analyzerWords)),
        ],
        [
          name,
          String(scores.length),
          'extractive oracle',
          ...rougeCells((s) => s.oracle),
          whole(mean((s) => s.oracleWords)),
        ],
        [name, String(scores.length), 'human summary', '', '', '', whole(mean((s) => s.humanWords))],
      ];
    });
  const otherWording = summaries.filter((scores) => !scores.worded).map((scores) => scores.meeting);
  return [
    '### Whole-meeting summary',
    '',
    'ROUGE F1 x 100 against the human answer to the whole-meeting query, mean over meetings; aim: ROUGE-1 >= 30.',
    'Tokens are lower-case [a-z0-9]+, Porter-stemmed when longer than three characters; ROUGE-L is the LCS of',
    "the whole texts (not per sentence). Lead-k is the transcript's first words cut to the analyzer summary's",
    'length; the oracle picks turns greedily for ROUGE-1 + ROUGE-2 within that length. Words are ROUGE tokens.',
    '',
    table(['Set', 'Meetings', 'System', 'ROUGE-1', 'ROUGE-2', 'ROUGE-L', 'Mean words'], rows),
    ...(otherWording.length > 0
      ? [
          '',
          `Reference query worded otherwise ("What was the meeting about?" and the like): ${otherWording.join(', ')}.`,
        ]
      : []),
  ].join('\n');
}

function topicSection(topics: readonly TopicScores[]): string {
  const mean = (pick: (scores: TopicScores) => number) => average(topics.map(pick));
  const row = (
    name: string,
    pick: (scores: TopicScores) => { pk: number; windowDiff: number; boundaries: number },
  ) => [
    name,
    fixed(
      mean((s) => pick(s).pk),
      3,
    ),
    fixed(
      mean((s) => pick(s).windowDiff),
      3,
    ),
    fixed(
      mean((s) => pick(s).boundaries),
      1,
    ),
  ];
  const labels = topics.flatMap((scores) => scores.labels);
  const empty = labels.filter((label) => label.empty).map((label) => label.label);
  const examples = [...new Set(empty)].slice(0, 12);
  return [
    '### Topics',
    '',
    `Segmentation against the gold topic spans (turns outside every span belong to the segment before), mean over`,
    `${topics.length} meetings; lower is better. k is half the mean gold segment length (mean k ${fixed(
      mean((s) => s.k),
      1,
    )} turns).`,
    'An analyzer topic starts at its `start_ms` when it has one, else at its earliest evidence turn.',
    '',
    table(
      ['System', 'Pk', 'WindowDiff', 'Boundaries per meeting'],
      [
        row('analyzer', (s) => s.analyzer),
        row('no boundaries', (s) => s.none),
        row('evenly spaced, gold count', (s) => s.even),
        [
          'gold',
          '',
          '',
          fixed(
            mean((s) => s.goldBoundaries),
            1,
          ),
        ],
      ],
    ),
    '',
    table(
      [
        'Topic labels',
        'Labels per meeting',
        'Empty-word labels',
        'Best token F1 vs gold names',
        'Gold topics per meeting',
      ],
      [
        [
          'analyzer',
          fixed(labels.length / Math.max(1, topics.length), 1),
          `${percent(empty.length / Math.max(1, labels.length))} (${empty.length} of ${labels.length})`,
          fixed(average(labels.map((label) => label.bestMatch)), 3),
          fixed(
            mean((s) => s.goldTopics),
            1,
          ),
        ],
      ],
    ),
    '',
    'An empty-word label is made only of fillers, stop words, number words or backchannels',
    '(tools/quality/word-lists.ts); the token F1 counts stemmed content words.',
    ...(examples.length > 0
      ? ['', `Empty-word labels seen: ${examples.map((label) => `"${label}"`).join(', ')}.`]
      : []),
  ].join('\n');
}

function retrievalSection(retrieval: RetrievalFigures): string {
  const row = (name: string, counts: RetrievalCounts, draws = 1) => [
    name,
    fixed(counts.citations / Math.max(1, counts.questions), 2),
    percent(citedInGoldShare(counts)),
    percent(goldTouchedShare(counts)),
    String(counts.questions / draws),
  ];
  return [
    '### Custom prompts (offline answers)',
    '',
    "Each specific query answered as the worker's offline answerer does (bestPassages, 3 passages, every",
    'segment cited); shares pooled over all questions; aims: >= 50% cited inside gold, >= 75% gold spans touched.',
    '',
    table(
      ['System', 'Cited turns per question', 'Cited inside gold spans', 'Gold spans touched', 'Questions'],
      [
        row('analyzer (offline answer)', retrieval.analyzer),
        row(`BM25 over single turns, top ${retrieval.bm25K}`, retrieval.bm25),
        row(`chance (same count, mean of ${retrieval.draws} draws)`, retrieval.chance, retrieval.draws),
      ],
    ),
  ].join('\n');
}

function itemsSection(sets: readonly ItemSet[]): string {
  const lines = [
    '### Tasks and decisions',
    '',
    'Against hand labels; a prediction matches a gold item within +/-3 turns (each matched once, nearest first);',
    'aims: precision >= 0.7 and recall >= 0.6.',
    '',
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const set of sets) {
    if (set.file.state !== 'present' || !set.figures) {
      notes.push(
        `${set.title}: ${set.file.path} is ${set.file.state === 'present' ? 'unusable' : set.file.state}; no figures.`,
      );
      continue;
    }
    const counts = set.figures;
    rows.push(itemRow(set.title, counts.meetings, 'tasks', counts.tasks, true));
    rows.push(itemRow(set.title, counts.meetings, 'decisions', counts.decisions, false));
    if (set.unknownMeetings.length > 0) {
      notes.push(`${set.title}: not in the benchmark folder, skipped: ${set.unknownMeetings.join(', ')}.`);
    }
  }
  if (rows.length > 0) {
    lines.push(
      table(
        [
          'Set',
          'Meetings',
          'Section',
          'Gold',
          'Listed',
          'Matched',
          'Precision',
          'Recall',
          'F1',
          'Owner accuracy',
        ],
        rows,
      ),
    );
  }
  if (notes.length > 0) lines.push(...(rows.length > 0 ? [''] : []), ...notes.map((note) => `- ${note}`));
  return lines.join('\n');
}

function itemRow(
  set: string,
  meetings: number,
  section: string,
  counts: ItemCounts,
  owners: boolean,
): string[] {
  const scores = itemScores(counts);
  return [
    set,
    String(meetings),
    section,
    String(counts.gold),
    String(counts.predicted),
    String(counts.matched),
    // A share with nothing to divide by is not 0: nothing was listed, labelled or matched.
    counts.predicted === 0 ? 'n/a' : fixed(scores.precision, 2),
    counts.gold === 0 ? 'n/a' : fixed(scores.recall, 2),
    counts.predicted === 0 || counts.gold === 0 ? 'n/a' : fixed(scores.f1, 2),
    !owners
      ? ''
      : counts.matched === 0
        ? 'n/a'
        : `${fixed(scores.ownerAccuracy, 2)} (${counts.ownersRight} of ${counts.matched})`,
  ];
}

function speedSection(speed: SpeedFigures): string {
  const perHour = speed.words === 0 ? 0 : (speed.ms / speed.words) * HOUR_WORDS;
  return [
    '### Speed (informational)',
    '',
    `parseTranscript + analyze over the run: ${Math.round(speed.ms)} ms for ${speed.words} words, about`,
    `${Math.round(perHour)} ms per transcript hour (${HOUR_WORDS} words). Varies with the machine; tools/bench is the speed figure.`,
  ].join('\n');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function average(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function points(value: number): string {
  return (value * 100).toFixed(1);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

function whole(value: number): string {
  return String(Math.round(value));
}
