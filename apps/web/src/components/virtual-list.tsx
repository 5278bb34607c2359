import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface ScrollRequest {
  index: number;
  /** A new value asks again for the same index (a second click on the same evidence link). */
  token: number | string;
}

interface VirtualListProps<T> {
  items: readonly T[];
  getKey: (item: T, index: number) => string;
  renderItem: (item: T, index: number) => ReactNode;
  /** A first guess of a row's height; each rendered row is then measured. */
  estimateHeight: (item: T, index: number) => number;
  scrollTo?: ScrollRequest | null;
  /** Called once the requested row is rendered at its place, e.g. to focus it. */
  onScrolledTo?: (index: number) => void;
  label: string;
  /** Pixels rendered beyond each edge of the viewport. */
  overscan?: number;
  /** Used until the viewport has a measured height (and in tests, where nothing has one). */
  fallbackViewportHeight?: number;
}

/** The first index whose row ends after `offset`, in prefix sums `tops` (length n + 1). */
export function indexAtOffset(tops: Float64Array, offset: number): number {
  let low = 0;
  let high = tops.length - 2;
  if (high < 0) return 0;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((tops[middle + 1] ?? 0) <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Renders only the rows in and near the viewport, so a 10,000-segment transcript stays as
 * light as a short one. Rows may differ in height: each starts from an estimate and is
 * measured once rendered; positions are prefix sums over what is known.
 */
export function VirtualList<T>({
  items,
  getKey,
  renderItem,
  estimateHeight,
  scrollTo,
  onScrolledTo,
  label,
  overscan = 400,
  fallbackViewportHeight = 600,
}: VirtualListProps<T>) {
  const viewport = useRef<HTMLDivElement>(null);
  const rows = useRef(new Map<number, HTMLElement>());
  const measured = useRef<Float64Array>(new Float64Array(items.length));
  const [measureVersion, setMeasureVersion] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(fallbackViewportHeight);
  const pending = useRef<{ index: number; tries: number } | null>(null);

  if (measured.current.length !== items.length) measured.current = new Float64Array(items.length);

  const tops = useMemo(() => {
    const result = new Float64Array(items.length + 1);
    for (let index = 0; index < items.length; index++) {
      const item = items[index] as T;
      const height = measured.current[index] || estimateHeight(item, index);
      result[index + 1] = (result[index] ?? 0) + height;
    }
    return result;
    // measureVersion: heights measured since the last computation.
  }, [items, estimateHeight, measureVersion]);

  const total = tops[items.length] ?? 0;
  const first = indexAtOffset(tops, Math.max(0, scrollTop - overscan));
  const lastOffset = scrollTop + viewportHeight + overscan;
  let last = indexAtOffset(tops, lastOffset);
  if (last < items.length - 1) last++;
  last = Math.min(last, items.length - 1);

  useEffect(() => {
    const element = viewport.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (element.clientHeight > 0) setViewportHeight(element.clientHeight);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const placeRequested = useCallback(() => {
    const element = viewport.current;
    const request = pending.current;
    if (!element || !request) return;
    const height = element.clientHeight || viewportHeight;
    const target = Math.max(0, (tops[request.index] ?? 0) - height / 3);
    element.scrollTop = target;
    setScrollTop(target);
  }, [tops, viewportHeight]);

  // A new scroll request: jump to the row's estimated place; measuring then corrects it.
  useLayoutEffect(() => {
    if (!scrollTo || scrollTo.index < 0 || scrollTo.index >= items.length) return;
    pending.current = { index: scrollTo.index, tries: 0 };
    placeRequested();
    // Only a new request moves the list; later renders correct through the measuring effect.
  }, [scrollTo?.index, scrollTo?.token, items.length]);

  // After every render: measure the rendered rows; re-place a requested row until it is stable.
  useLayoutEffect(() => {
    let changed = false;
    for (const [index, element] of rows.current) {
      const height = element.offsetHeight;
      if (height > 0 && Math.abs((measured.current[index] ?? 0) - height) > 0.5) {
        measured.current[index] = height;
        changed = true;
      }
    }
    const request = pending.current;
    if (changed) {
      setMeasureVersion((version) => version + 1);
      if (request && request.tries < 5) {
        request.tries++;
        return;
      }
    }
    if (request && rows.current.has(request.index)) {
      if (request.tries > 0 && request.tries < 5) placeRequested();
      pending.current = null;
      onScrolledTo?.(request.index);
    }
  });

  const onScroll = () => {
    const element = viewport.current;
    if (element) setScrollTop(element.scrollTop);
  };

  const rendered: ReactNode[] = [];
  for (let index = first; index <= last && index < items.length; index++) {
    const item = items[index] as T;
    rendered.push(
      <div
        key={getKey(item, index)}
        className="virtual-row"
        role="listitem"
        aria-posinset={index + 1}
        aria-setsize={items.length}
        data-index={index}
        ref={(element) => {
          if (element) rows.current.set(index, element);
          else rows.current.delete(index);
        }}
        style={{ transform: `translateY(${tops[index] ?? 0}px)` }}
      >
        {renderItem(item, index)}
      </div>,
    );
  }

  return (
    <div
      ref={viewport}
      className="virtual-viewport"
      onScroll={onScroll}
      tabIndex={0}
      role="list"
      aria-label={label}
    >
      <div className="virtual-spacer" style={{ height: `${total}px` }}>
        {rendered}
      </div>
    </div>
  );
}
