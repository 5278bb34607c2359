import { SourceLine, blocksOf, sourceLines } from './source-lines';
import { parseClockTime } from './timestamp';
import { SegmentDraft, unparseable } from './transcript.builder';
import { readCueText } from './cue-text';

const TIMING_LINE = /^\s*(\S{1,20})\s+-->\s+(\S{1,20})(?:\s.*)?$/;
const WEBVTT_HEADER = /^WEBVTT(?:[ \t].*)?$/;
const VTT_SKIPPED_BLOCKS = /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/;

/** WebVTT: header, optional cue ids, NOTE/STYLE/REGION blocks ignored, `<v>` voice tags. */
export function parseWebVtt(source: string): SegmentDraft[] {
  const blocks = blocksOf(sourceLines(source));
  const header = blocks[0]?.[0];
  if (!header || !WEBVTT_HEADER.test(header.text)) {
    throw unparseable(`line ${header?.number ?? 1}: a WebVTT file must start with "WEBVTT".`);
  }
  return blocks
    .slice(1)
    .filter((block) => !VTT_SKIPPED_BLOCKS.test(block[0]?.text ?? ''))
    .map((block) => cueOf(block));
}

/** SRT: numbered blocks of a `hh:mm:ss,mmm --> hh:mm:ss,mmm` line and text lines. */
export function parseSrt(source: string): SegmentDraft[] {
  return blocksOf(sourceLines(source)).map((block) => cueOf(block));
}

function cueOf(block: SourceLine[]): SegmentDraft {
  // The timing line is the first or, after a cue id / SRT number, the second line.
  const timingIndex = block.slice(0, 2).findIndex((line) => line.text.includes('-->'));
  const timing = block[timingIndex];
  if (timingIndex < 0 || !timing) {
    throw unparseable(
      `line ${block[0]?.number}: expected a cue timing line like "00:00:01.000 --> 00:00:04.000".`,
    );
  }
  const match = TIMING_LINE.exec(timing.text);
  const startMs = match?.[1] ? parseClockTime(match[1]) : null;
  const endMs = match?.[2] ? parseClockTime(match[2]) : null;
  if (startMs === null || endMs === null) {
    throw unparseable(`line ${timing.number}: cannot read the cue timing "${excerpt(timing.text)}".`);
  }
  const payload = block.slice(timingIndex + 1);
  const first = payload[0];
  const last = payload[payload.length - 1];
  const { speaker, text } = readCueText(payload.map((line) => line.text).join('\n'));
  return {
    startMs,
    endMs,
    speaker,
    text,
    sourceOffset: first && last ? { start: first.start, end: last.start + last.text.length } : null,
    where: `line ${timing.number}`,
  };
}

function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
