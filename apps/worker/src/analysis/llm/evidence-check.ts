import type { Segment, Transcript } from '@scriptripper/analysis';

/** Where a quote was found: the segment it starts in. */
export type QuoteLocator = (quote: string, segmentId?: unknown) => Segment | undefined;

/** Runs of whitespace as one space, ends trimmed: the only liberty a "verbatim" quote may take. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Finds quotes in a transcript verbatim (whitespace aside, case and punctuation exact): in the
 * segment the model named first, then in any segment, then across neighbouring segments (a
 * quote may run over a turn boundary), answering the segment where it starts.
 */
export function quoteLocatorOf(transcript: Transcript): QuoteLocator {
  const segments = transcript.segments.map((segment) => ({
    segment,
    text: normaliseWhitespace(segment.text),
  }));
  const byId = new Map(segments.map((entry) => [entry.segment.id, entry]));
  // The whole transcript as one string, with where each segment starts in it.
  let joined = '';
  const starts: number[] = [];
  for (const { text } of segments) {
    if (joined !== '') joined += ' ';
    starts.push(joined.length);
    joined += text;
  }
  return (quote, segmentId) => {
    const wanted = normaliseWhitespace(quote);
    if (wanted === '') return undefined;
    const named = typeof segmentId === 'string' ? byId.get(segmentId) : undefined;
    if (named?.text.includes(wanted)) return named.segment;
    const within = segments.find((entry) => entry.text.includes(wanted));
    if (within) return within.segment;
    const at = joined.indexOf(wanted);
    if (at < 0) return undefined;
    let index = 0;
    while (index + 1 < starts.length && (starts[index + 1] as number) <= at) index += 1;
    return segments[index]?.segment;
  };
}

/**
 * Keeps only the items whose every evidence quote occurs in the transcript, and counts the
 * rest: a model's made-up quote must never be shown as fact. An item is any object with an
 * `evidence` array, wherever it sits in the output. Kept evidence takes its segment id, times
 * and speaker from the transcript rather than from the model, so they are right too.
 */
export function keepEvidencedItems(
  output: Record<string, unknown>,
  transcript: Transcript,
): { output: Record<string, unknown>; dropped: number } {
  const locate = quoteLocatorOf(transcript);
  let dropped = 0;

  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      const kept: unknown[] = [];
      for (const element of value) {
        const checked = checkItem(element);
        if (checked === undefined) dropped += 1;
        else kept.push(visit(checked));
      }
      return kept;
    }
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => [key, key === 'evidence' ? inner : visit(inner)]),
      );
    }
    return value;
  };

  /** The item with its evidence anchored, undefined when a quote is not in the transcript; non-items as they are. */
  const checkItem = (element: unknown): unknown => {
    if (
      typeof element !== 'object' ||
      element === null ||
      !Array.isArray((element as Record<string, unknown>)['evidence'])
    ) {
      return element;
    }
    const item = element as Record<string, unknown>;
    const evidence: unknown[] = [];
    for (const quoted of item['evidence'] as unknown[]) {
      const entry = (quoted ?? {}) as Record<string, unknown>;
      const segment =
        typeof entry['quote'] === 'string' ? locate(entry['quote'], entry['segment_id']) : undefined;
      if (!segment) return undefined;
      evidence.push(anchored(entry, segment));
    }
    return { ...item, evidence };
  };

  const checked = visit(output) as Record<string, unknown>;
  return { output: checked, dropped };
}

/** The evidence entry with the fields it has set from its segment. */
function anchored(entry: Record<string, unknown>, segment: Segment): Record<string, unknown> {
  const facts: Record<string, unknown> = {
    segment_id: segment.id,
    start_ms: segment.startMs,
    end_ms: segment.endMs,
    speaker: segment.speakerLabel,
  };
  return Object.fromEntries(
    Object.entries(entry).map(([key, value]) => [key, key in facts ? facts[key] : value]),
  );
}
