import { synthesiseDurationMs } from './plain.parser';
import { SourceLine, sourceLines } from './source-lines';
import { parseClockTime } from './timestamp';
import { SegmentDraft } from './transcript.builder';

// `Ana Lima  0:03` or `Speaker 1  1:02:03`: a name of up to four words without a colon
// (so `Ana: see you at 3:00` stays a plain line), then the turn's start time.
export const OTTER_HEADER = /^([^\s:][^\s:]{0,40}(?: [^\s:]{1,40}){0,3})\s+(\d{1,2}:\d{2}(?::\d{2})?)\s*$/;

/**
 * Otter-style exports: a `Name  m:ss` header line, then the turn's paragraph(s). A turn ends
 * where the next begins; the last one is given a duration from its word count. Lines before
 * the first header (a title, export notes) are not speech and are skipped.
 */
export function parseOtter(source: string): SegmentDraft[] {
  const turns: { header: SourceLine; speaker: string; startMs: number; body: SourceLine[] }[] = [];
  for (const line of sourceLines(source)) {
    const header = OTTER_HEADER.exec(line.text);
    const startMs = header?.[2] ? parseClockTime(header[2]) : null;
    if (header?.[1] && startMs !== null) {
      turns.push({ header: line, speaker: header[1].trim(), startMs, body: [] });
    } else if (line.text.trim() !== '') {
      turns[turns.length - 1]?.body.push(line);
    }
  }
  return turns.map((turn, index): SegmentDraft => {
    const text = turn.body.map((line) => line.text).join('\n');
    const next = turns[index + 1];
    const first = turn.body[0];
    const last = turn.body[turn.body.length - 1];
    return {
      startMs: turn.startMs,
      endMs: next && next.startMs >= turn.startMs ? next.startMs : turn.startMs + synthesiseDurationMs(text),
      speaker: turn.speaker,
      text,
      sourceOffset: first && last ? { start: first.start, end: last.start + last.text.length } : null,
      where: `line ${turn.header.number}`,
    };
  });
}
