import { formatClockTime } from '../parsers/timestamp';
import type { Transcript } from '../transcript';

/**
 * A normalised transcript as Markdown: a heading, one line of facts, then one paragraph per
 * segment, `**[hh:mm:ss] Speaker:** text`. Inline Markdown in the text is escaped, so what
 * people said never turns into links, emphasis or HTML.
 */
export function renderTranscriptMarkdown(transcript: Transcript, title = 'Transcript'): string {
  const speakers = transcript.speakers.map((speaker) => escapeMarkdown(speaker.label)).join(', ');
  const facts = [
    `Format: ${transcript.format}`,
    `Duration: ${formatClockTime(transcript.durationMs)}`,
    `Segments: ${transcript.segments.length}`,
    ...(speakers ? [`Speakers: ${speakers}`] : []),
  ].join(' · ');
  const paragraphs = transcript.segments.map(
    (segment) =>
      `**[${formatClockTime(segment.startMs)}] ${escapeMarkdown(oneLine(segment.speakerLabel))}:** ` +
      escapeMarkdown(oneLine(segment.text)),
  );
  return [`# ${escapeMarkdown(title)}`, facts, ...paragraphs].join('\n\n') + '\n';
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Backslash-escapes the characters that start inline Markdown or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>~|#]/g, (character) => `\\${character}`).replace(/&/g, '&amp;');
}
