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
 * HTML escaping. A fresh writer per call: Mustache's shared writer caches every template it
 * sees, and templates are whatever admins published.
 */
export function renderMarkdown(template: string, view: Readonly<Record<string, unknown>>): string {
  return new Writer().render(template, view, {}, { escape: escapeMarkdown });
}
