import { SourceOffset } from '../transcript';

// A JSON key followed by a string literal; the literal is read with bounded escapes so a
// hostile string cannot make the expression backtrack.
const KEYED_STRING = /"(text|transcript|word|punctuated_word)"\s*:\s*"([^"\\]*(?:\\.[^"\\]*)*)"/g;

/**
 * Finds, in document order, where each JSON string value sits in the source, so segments
 * parsed with JSON.parse can still point back at their characters. Walks forward only:
 * the whole source is scanned once however many values are looked up.
 */
export class JsonSourceLocator {
  private readonly pattern = new RegExp(KEYED_STRING.source, 'g');
  private lost = false;

  constructor(private readonly source: string) {}

  /** The span of the next `key: "value"` whose decoded value equals `value`, or null. */
  next(keys: readonly string[], value: string): SourceOffset | null {
    if (this.lost) return null;
    const resumeAt = this.pattern.lastIndex;
    for (let match = this.pattern.exec(this.source); match; match = this.pattern.exec(this.source)) {
      const [whole, key, literal] = match;
      if (key && literal !== undefined && keys.includes(key) && decode(literal) === value) {
        const start = match.index + whole.length - literal.length - 1;
        return { start, end: start + literal.length };
      }
    }
    // Not found (escaped keys, reordered data): stop looking rather than rescanning per value.
    this.pattern.lastIndex = resumeAt;
    this.lost = true;
    return null;
  }
}

function decode(literal: string): string | null {
  try {
    return JSON.parse(`"${literal}"`) as string;
  } catch {
    return null;
  }
}
