/** One line of the source with where it starts, so segments can point back into the source. */
export interface SourceLine {
  text: string;
  start: number;
  /** 1-based, for error messages. */
  number: number;
}

const BYTE_ORDER_MARK = '\uFEFF';

/** Splits on CRLF, CR or LF, skipping a leading byte order mark without shifting offsets. */
export function sourceLines(source: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = source.startsWith(BYTE_ORDER_MARK) ? 1 : 0;
  let index = start;
  while (index <= source.length) {
    const char = source[index];
    if (char === '\n' || char === '\r' || index === source.length) {
      lines.push({ text: source.slice(start, index), start, number: lines.length + 1 });
      if (char === '\r' && source[index + 1] === '\n') index++;
      start = index + 1;
    }
    index++;
  }
  return lines;
}

/** Groups lines into blocks separated by blank lines (cue files, Otter paragraphs). */
export function blocksOf(lines: SourceLine[]): SourceLine[][] {
  const blocks: SourceLine[][] = [];
  let current: SourceLine[] = [];
  for (const line of lines) {
    if (line.text.trim() === '') {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

export function countWords(text: string): number {
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
  return words ? words.length : 0;
}
