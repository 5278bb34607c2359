/**
 * `npm run quality`: the offline analyzer measured on the QMSum validation split (summary
 * ROUGE, topic segmentation and labels, custom-prompt retrieval, tasks and decisions against
 * hand labels), printed and written between the figure markers of docs/quality.md.
 *
 * QMSUM_DIR overrides where the benchmark is (default ../shared/benchmarks/qmsum from the
 * repository root; it holds val/ and train/). Deterministic except the informational speed
 * line; offline; not part of `npm test` (tools/quality/quality-scoring.spec.ts tests the scoring).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import {
  analyseMeeting,
  itemFigures,
  retrievalFigures,
  speedFigures,
  summaryScores,
  topicScores,
  type AnalysedMeeting,
} from './quality-measure';
import { figuresMarkdown, replaceFigures, type ItemSet } from './quality-report';
import { readMeeting, readSplit } from './qmsum-meeting';
import { readLabels } from './task-labels';

const root = resolve(__dirname, '../../..');
const benchmark = resolve(root, process.env['QMSUM_DIR'] ?? '../shared/benchmarks/qmsum');
const documentPath = join(root, 'docs/quality.md');
/** `train` measures the tuning split instead and leaves docs/quality.md alone: the report is on validation. */
const split = process.env['QUALITY_SPLIT'] ?? 'val';
const SPLIT_NAMES: Record<string, string> = { val: 'validation', train: 'train' };

async function main(): Promise<void> {
  const splitName = SPLIT_NAMES[split];
  if (!splitName) throw new Error(`QUALITY_SPLIT must be val or train, not "${split}"`);
  const folder = join(benchmark, split);
  if (!existsSync(folder)) {
    throw new Error(
      `No QMSum ${splitName} split at ${folder}; set QMSUM_DIR to the folder holding val/ and train/.`,
    );
  }
  const started = Date.now();
  const analysed = readSplit(folder).map(analyseMeeting);
  const byName = new Map(analysed.map((entry) => [`${split}/${entry.meeting.name}`, entry]));

  const figures = {
    meetings: analysed.length,
    summaries: analysed.map(summaryScores).filter((scores) => scores !== null),
    topics: analysed.map(topicScores),
    retrieval: retrievalFigures(analysed),
    items: [
      itemSet('ami-val.json (report set)', 'ami-val.json', byName),
      itemSet('ami-train.json (tuning set)', 'ami-train.json', byName),
    ],
    speed: speedFigures(analysed),
  };
  const raw = [
    `Measured by \`npm run quality\` on the QMSum ${splitName} split: ${analysed.length} meetings`,
    `(${countBy(analysed, 'AMI')} AMI, ${countBy(analysed, 'ICSI')} ICSI, ${countBy(analysed, 'parliamentary')} parliamentary), profile \`meeting\`.`,
    '',
    figuresMarkdown(figures),
  ].join('\n');
  // Formatted as the repository's prettier check wants the document, tables aligned.
  const block = await format(raw, { ...(await resolveConfig(documentPath)), parser: 'markdown' });

  process.stdout.write(`${block}\n`);
  if (split !== 'val') {
    process.stdout.write(`The ${splitName} split: docs/quality.md left as it is.\n`);
    return;
  }
  const document = existsSync(documentPath) ? readFileSync(documentPath, 'utf8') : '';
  writeFileSync(documentPath, replaceFigures(document, block));
  process.stdout.write(`Written to docs/quality.md (${((Date.now() - started) / 1000).toFixed(1)} s).\n`);
}

/**
 * A labels file scored against the analyzer's results of its meetings: those of the measured
 * split are reused, the others (the tuning set's train meetings) analysed here.
 */
function itemSet(title: string, file: string, analysed: ReadonlyMap<string, AnalysedMeeting>): ItemSet {
  const labels = readLabels(root, `tools/quality/labels/${file}`);
  if (labels.state !== 'present') return { title, file: labels, figures: null, unknownMeetings: [] };
  const unknownMeetings: string[] = [];
  const labelled = labels.meetings.flatMap((meeting) => {
    const key = `${meeting.split}/${meeting.meeting}`;
    const path = join(benchmark, `${key}.json`);
    const result = (analysed.get(key) ?? (existsSync(path) ? analyseMeeting(readMeeting(path)) : undefined))
      ?.result;
    if (!result) {
      unknownMeetings.push(key);
      return [];
    }
    return [{ labels: meeting, result }];
  });
  return { title, file: labels, figures: itemFigures(labelled), unknownMeetings };
}

function countBy(analysed: readonly AnalysedMeeting[], source: string): number {
  return analysed.filter(({ meeting }) => meeting.source === source).length;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
