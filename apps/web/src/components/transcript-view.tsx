import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { TranscriptDocument, TranscriptSegment } from '../api/results';
import { formatOffset } from '../lib/format';
import { VirtualList, type ScrollRequest } from './virtual-list';

interface TranscriptViewProps {
  transcript: TranscriptDocument;
  /** The segment an evidence link or citation opened: scrolled to, highlighted and focused. */
  highlightedSegmentId: string | null;
  /** Changes on every request to show the highlighted segment, even the same one again. */
  highlightToken: string | number;
}

/** Where `query` occurs in the segments (speaker or text), case-insensitively. */
export function findMatches(segments: readonly TranscriptSegment[], query: string): number[] {
  const needle = query.trim().toLocaleLowerCase();
  if (!needle) return [];
  const matches: number[] = [];
  segments.forEach((segment, index) => {
    if (
      segment.text.toLocaleLowerCase().includes(needle) ||
      segment.speakerLabel.toLocaleLowerCase().includes(needle)
    )
      matches.push(index);
  });
  return matches;
}

/** A segment's text with each occurrence of the query marked. */
function marked(text: string, query: string): ReactNode {
  const needle = query.trim().toLocaleLowerCase();
  if (!needle) return text;
  const parts: ReactNode[] = [];
  const lower = text.toLocaleLowerCase();
  let at = 0;
  for (let found = lower.indexOf(needle); found >= 0; found = lower.indexOf(needle, at)) {
    if (found > at) parts.push(text.slice(at, found));
    parts.push(<mark key={found}>{text.slice(found, found + needle.length)}</mark>);
    at = found + needle.length;
  }
  parts.push(text.slice(at));
  return parts;
}

/** About how tall a segment renders, from its length: refined by measuring. */
const estimate = (segment: TranscriptSegment) => 52 + Math.floor(segment.text.length / 60) * 22;

export function TranscriptView({ transcript, highlightedSegmentId, highlightToken }: TranscriptViewProps) {
  const segments = transcript.segments;
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const [findToken, setFindToken] = useState(0);
  const container = useRef<HTMLDivElement>(null);
  const matches = useMemo(() => findMatches(segments, query), [segments, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);

  const highlightedIndex = useMemo(
    () => (highlightedSegmentId ? segments.findIndex((segment) => segment.id === highlightedSegmentId) : -1),
    [segments, highlightedSegmentId],
  );

  const [lastFind, setLastFind] = useState<'find' | 'highlight'>('highlight');
  const scrollTo: ScrollRequest | null = useMemo(() => {
    if (lastFind === 'find' && matches.length > 0) {
      return { index: matches[Math.min(current, matches.length - 1)] ?? 0, token: `find-${findToken}` };
    }
    if (highlightedIndex >= 0) return { index: highlightedIndex, token: `hl-${highlightToken}` };
    return null;
  }, [lastFind, matches, current, findToken, highlightedIndex, highlightToken]);

  // A new evidence request takes over from find.
  const [seenToken, setSeenToken] = useState(highlightToken);
  if (seenToken !== highlightToken) {
    setSeenToken(highlightToken);
    setLastFind('highlight');
  }

  const step = (delta: number) => {
    if (matches.length === 0) return;
    setCurrent((index) => (index + delta + matches.length) % matches.length);
    setLastFind('find');
    setFindToken((token) => token + 1);
  };

  const focusRow = useCallback(
    (index: number) => {
      if (index !== highlightedIndex || lastFind !== 'highlight') return;
      const row = container.current?.querySelector<HTMLElement>(`[data-segment-index="${index}"]`);
      row?.focus({ preventScroll: true });
    },
    [highlightedIndex, lastFind],
  );

  useEffect(() => {
    // For the browser measurements (docs/performance.md): when a transcript is first on screen.
    performance.mark('scriptripper:transcript-rendered', { detail: { segments: segments.length } });
  }, [segments]);

  const currentMatch = lastFind === 'find' ? matches[Math.min(current, matches.length - 1)] : undefined;

  return (
    <div className="transcript" ref={container}>
      <div className="transcript-tools">
        <div className="field">
          <label htmlFor="transcript-find">Find in transcript</label>
          <input
            id="transcript-find"
            type="search"
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              setCurrent(0);
              setLastFind('find');
              setFindToken((token) => token + 1);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                step(event.shiftKey ? -1 : 1);
              }
            }}
          />
        </div>
        <button
          type="button"
          className="button secondary small"
          onClick={() => step(-1)}
          disabled={!matches.length}
        >
          Previous match
        </button>
        <button
          type="button"
          className="button secondary small"
          onClick={() => step(1)}
          disabled={!matches.length}
        >
          Next match
        </button>
        <span className="find-count" aria-live="polite">
          {query.trim()
            ? matches.length
              ? `${Math.min(current, matches.length - 1) + 1} of ${matches.length}`
              : 'No matches'
            : `${segments.length} segments`}
        </span>
      </div>
      {segments.length === 0 ? (
        <p className="state state-empty">This transcript has no segments.</p>
      ) : (
        <VirtualList
          items={segments}
          label="Transcript segments"
          getKey={(segment) => segment.id}
          estimateHeight={estimate}
          scrollTo={scrollTo}
          onScrolledTo={focusRow}
          renderItem={(segment, index) => {
            const highlighted = index === highlightedIndex;
            const classes = ['segment'];
            if (highlighted) classes.push('highlighted');
            if (matchSet.has(index)) classes.push('match');
            if (index === currentMatch) classes.push('current-match');
            return (
              <div
                className={classes.join(' ')}
                id={`segment-${segment.id}`}
                data-segment-index={index}
                data-segment-id={segment.id}
                tabIndex={-1}
                aria-current={highlighted ? 'true' : undefined}
              >
                <span className="segment-time">{formatOffset(segment.startMs)}</span>
                <span className="segment-speaker">{segment.speakerLabel}</span>
                <p className="segment-text">{marked(segment.text, query)}</p>
              </div>
            );
          }}
        />
      )}
    </div>
  );
}
