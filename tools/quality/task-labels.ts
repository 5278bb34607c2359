/**
 * The hand labels of tasks and decisions (`tools/quality/labels/ami-val.json`, the report set,
 * and `ami-train.json`, the tuning set): a JSON array of
 * `{ meeting, split, tasks: [{ turn, owner, text }], decisions: [{ turn, text }] }` where
 * `turn` indexes the meeting file's `meeting_transcripts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LabelledTask {
  readonly turn: number;
  readonly owner: string;
  readonly text: string;
}

export interface LabelledDecision {
  readonly turn: number;
  readonly text: string;
}

export interface LabelledMeeting {
  readonly meeting: string;
  readonly split: 'train' | 'val';
  readonly tasks: readonly LabelledTask[];
  readonly decisions: readonly LabelledDecision[];
}

export type LabelsFile =
  | { readonly state: 'missing' | 'empty'; readonly path: string }
  | { readonly state: 'present'; readonly path: string; readonly meetings: readonly LabelledMeeting[] };

/**
 * Reads a labels file (`path` relative to `root`, and reported so); missing and empty are
 * results, printed as such; a malformed file is an error.
 */
export function readLabels(root: string, path: string): LabelsFile {
  if (!existsSync(join(root, path))) return { state: 'missing', path };
  const text = readFileSync(join(root, path), 'utf8');
  if (text.trim() === '') return { state: 'empty', path };
  const document: unknown = JSON.parse(text);
  if (!Array.isArray(document)) throw new Error(`${path}: expected a JSON array of labelled meetings`);
  const meetings = document.map((entry, index) => labelledMeeting(entry, `${path}[${index}]`));
  return meetings.length === 0 ? { state: 'empty', path } : { state: 'present', path, meetings };
}

function labelledMeeting(entry: unknown, where: string): LabelledMeeting {
  const record = objectAt(entry, where);
  const meeting = record['meeting'];
  const split = record['split'];
  if (typeof meeting !== 'string' || meeting === '')
    throw new Error(`${where}.meeting must be a meeting name`);
  if (split !== 'train' && split !== 'val') throw new Error(`${where}.split must be "train" or "val"`);
  return {
    meeting,
    split,
    tasks: arrayAt(record, 'tasks', where).map((task, index) => {
      const item = objectAt(task, `${where}.tasks[${index}]`);
      return {
        turn: turnOf(item, `${where}.tasks[${index}]`),
        owner: stringAt(item, 'owner', `${where}.tasks[${index}]`),
        text: stringAt(item, 'text', `${where}.tasks[${index}]`),
      };
    }),
    decisions: arrayAt(record, 'decisions', where).map((decision, index) => {
      const item = objectAt(decision, `${where}.decisions[${index}]`);
      return {
        turn: turnOf(item, `${where}.decisions[${index}]`),
        text: stringAt(item, 'text', `${where}.decisions[${index}]`),
      };
    }),
  };
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where} must be an object`);
  }
  return value as Record<string, unknown>;
}

function arrayAt(record: Record<string, unknown>, key: string, where: string): unknown[] {
  const value = record[key] ?? [];
  if (!Array.isArray(value)) throw new Error(`${where}.${key} must be an array`);
  return value;
}

function turnOf(item: Record<string, unknown>, where: string): number {
  const turn = item['turn'];
  if (typeof turn !== 'number' || !Number.isInteger(turn) || turn < 0) {
    throw new Error(`${where}.turn must be a turn index (an integer from 0)`);
  }
  return turn;
}

function stringAt(item: Record<string, unknown>, key: string, where: string): string {
  const value = item[key];
  if (typeof value !== 'string') throw new Error(`${where}.${key} must be a string`);
  return value;
}
