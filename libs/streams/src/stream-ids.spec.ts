import { compareStreamIds, trimPointOf } from './stream-ids';

describe('compareStreamIds', () => {
  it('orders by time then sequence, numerically', () => {
    expect(compareStreamIds('999-0', '1000-0')).toBe(-1);
    expect(compareStreamIds('1000-10', '1000-9')).toBe(1);
    expect(compareStreamIds('5-5', '5-5')).toBe(0);
  });
});

describe('trimPointOf', () => {
  it('keeps from the oldest pending entry of any group', () => {
    expect(
      trimPointOf([
        { group: 'a', lastDeliveredId: '900-0', oldestPendingId: '300-0' },
        { group: 'b', lastDeliveredId: '500-0', oldestPendingId: null },
      ]),
    ).toBe('300-0');
  });

  it("keeps from a group's last delivered entry when nothing of it is pending", () => {
    expect(
      trimPointOf([
        { group: 'a', lastDeliveredId: '900-0', oldestPendingId: '800-0' },
        { group: 'slow', lastDeliveredId: '1000-0', oldestPendingId: null },
        { group: 'lagging', lastDeliveredId: '99-1', oldestPendingId: null },
      ]),
    ).toBe('99-1');
  });

  it('does not trim a stream without groups or before anything was delivered', () => {
    expect(trimPointOf([])).toBeNull();
    expect(trimPointOf([{ group: 'new', lastDeliveredId: '0-0', oldestPendingId: null }])).toBeNull();
  });
});
