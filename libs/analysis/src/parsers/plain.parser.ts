import { splitNamePrefix } from './cue-text';
import { countWords, sourceLines } from './source-lines';
import { SegmentDraft } from './transcript.builder';

/** Speaking rate used to give untimed transcripts plausible, monotonic times. */
export const SYNTHETIC_WORDS_PER_MINUTE = 150;
const MS_PER_WORD = 60_000 / SYNTHETIC_WORDS_PER_MINUTE;

/**
 * `Speaker: text` lines with no times. A line without a name continues the previous
 * speaker's turn (that is how such files wrap paragraphs). Times are synthesised from word
 * counts, so the transcript carries the `synthetic-timings` flag.
 */
export function parsePlain(source: string): SegmentDraft[] {
  const drafts: SegmentDraft[] = [];
  let speaker: string | null = null;
  let clockMs = 0;
  for (const line of sourceLines(source)) {
    if (line.text.trim() === '') continue;
    const parsed = splitNamePrefix(line.text);
    if (parsed.speaker !== null) speaker = parsed.speaker;
    const durationMs = synthesiseDurationMs(parsed.text);
    drafts.push({
      startMs: clockMs,
      endMs: clockMs + durationMs,
      speaker,
      text: parsed.text,
      sourceOffset: { start: line.start, end: line.start + line.text.length },
      where: `line ${line.number}`,
    });
    clockMs += durationMs;
  }
  return drafts;
}

export function synthesiseDurationMs(text: string): number {
  return Math.max(1, countWords(text)) * MS_PER_WORD;
}
