import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { indexAtOffset, VirtualList } from './virtual-list';

const items = Array.from({ length: 10_000 }, (_, i) => ({ id: `s${i + 1}`, text: `segment ${i + 1}` }));

function renderList(scrollTo: { index: number; token: number } | null = null, onScrolledTo = vi.fn()) {
  return render(
    <VirtualList
      items={items}
      label="Transcript segments"
      getKey={(item) => item.id}
      estimateHeight={() => 50}
      renderItem={(item) => <p>{item.text}</p>}
      scrollTo={scrollTo}
      onScrolledTo={onScrolledTo}
      overscan={100}
      fallbackViewportHeight={500}
    />,
  );
}

describe('VirtualList', () => {
  it('renders only the rows near the viewport of 10,000, with their positions in the set', () => {
    renderList();
    const rows = screen.getAllByRole('listitem');
    // 500 px viewport + 100 px overscan at 50 px a row: 12 or 13 rows, not 10,000.
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(20);
    expect(rows[0]?.getAttribute('aria-posinset')).toBe('1');
    expect(rows[0]?.getAttribute('aria-setsize')).toBe('10000');
    expect(screen.getByText('segment 1')).toBeTruthy();
    expect(screen.queryByText('segment 100')).toBeNull();
  });

  it('renders the rows of the new place when scrolled', () => {
    renderList();
    const viewport = screen.getByRole('list', { name: 'Transcript segments' });
    viewport.scrollTop = 250_000; // row 5001 starts at 5000 * 50 px
    fireEvent.scroll(viewport);
    expect(screen.getByText('segment 5001')).toBeTruthy();
    expect(screen.queryByText('segment 1')).toBeNull();
    expect(screen.getAllByRole('listitem').length).toBeLessThan(20);
  });

  it('scrolls a requested row into view and reports it', () => {
    const onScrolledTo = vi.fn();
    const { rerender } = renderList(null, onScrolledTo);
    rerender(
      <VirtualList
        items={items}
        label="Transcript segments"
        getKey={(item) => item.id}
        estimateHeight={() => 50}
        renderItem={(item) => <p>{item.text}</p>}
        scrollTo={{ index: 7_999, token: 1 }}
        onScrolledTo={onScrolledTo}
        overscan={100}
        fallbackViewportHeight={500}
      />,
    );
    expect(screen.getByText('segment 8000')).toBeTruthy();
    const viewport = screen.getByRole('list', { name: 'Transcript segments' });
    // A third of the viewport above the row, so it is not at the very edge.
    expect(viewport.scrollTop).toBeCloseTo(7_999 * 50 - 500 / 3);
    expect(onScrolledTo).toHaveBeenCalledWith(7_999);
  });
});

describe('indexAtOffset', () => {
  it('finds the row under an offset in prefix sums', () => {
    const tops = Float64Array.from([0, 10, 30, 60]);
    expect(indexAtOffset(tops, 0)).toBe(0);
    expect(indexAtOffset(tops, 9.9)).toBe(0);
    expect(indexAtOffset(tops, 10)).toBe(1);
    expect(indexAtOffset(tops, 45)).toBe(2);
    expect(indexAtOffset(tops, 1_000)).toBe(2);
  });
});
