import { Writer } from 'mustache';

/** Characters that start inline Markdown (emphasis, code, links, HTML, tables, entities). */
const INLINE_MARKUP = /[\\`*_[\]<>|~&]/g;
/** What makes a line a heading, quote, list item or rule when a value starts a line. */
const BLOCK_MARKER = /^(\s*)([#+=-])(?=\s|$)/;
/** `1.` or `1)` at the start of a line is an ordered list item. */
const ORDERED_MARKER = /^(\s*\d+)([.)])(?=\s|$)/;
const LINE_BREAK = /\r\n?|\n/g;

/**
 * Makes a value print as itself in Markdown: transcript text must not turn into links, HTML
 * or formatting, nor break the list item or table row it is placed in. Backslash escapes
 * are CommonMark's own, so a renderer shows the original characters.
 */
export function escapeMarkdown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return String(value)
    .replace(LINE_BREAK, ' ')
    .replace(INLINE_MARKUP, '\\$&')
    .replace(BLOCK_MARKER, '$1\\$2')
    .replace(ORDERED_MARKER, '$1\\$2');
}

/**
 * Renders a profile version's Mustache template with Markdown escaping instead of Mustache's
 * HTML escaping, over the results with readable times added (`readableTimesOf`). A fresh writer
 * per call: Mustache's shared writer caches every template it sees, and templates are whatever
 * admins published.
 */
export function renderMarkdown(template: string, view: Readonly<Record<string, unknown>>): string {
  return new Writer().render(template, readableTimesOf(view), {}, { escape: escapeMarkdown });
}

/**
 * A copy of the results in which every object with a `start_ms` also has `at` and every one with
 * a `talk_time_ms` also has `talk_time`, as `mm:ss` (`h:mm:ss` from an hour on), for templates to
 * show: people read "12:05", not "725000". Only the view gains them: results.json keeps the
 * schema's fields. A field of that name the results already have is left as it is.
 */
export function readableTimesOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => readableTimesOf(item)) as T;
  if (!value || typeof value !== 'object') return value;
  const record = Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, readableTimesOf(inner as unknown)]),
  );
  for (const [source, target] of READABLE_TIMES) {
    const ms = record[source];
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && !(target in record)) {
      record[target] = readableTime(ms);
    }
  }
  return record as T;
}

const READABLE_TIMES = [
  ['start_ms', 'at'],
  ['talk_time_ms', 'talk_time'],
] as const;

/** Whole seconds (rounded down) as `mm:ss`, or `h:mm:ss` from an hour on. */
export function readableTime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const [hours, minutes, rest] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  const pad = (part: number) => String(part).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${pad(minutes)}:${pad(rest)}`;
}
