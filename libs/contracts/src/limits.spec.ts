import { quotaDayOf, quotaResetAt, secondsUntilQuotaReset } from './limits';

describe('daily limits', () => {
  it('reset at the next UTC midnight', () => {
    expect(quotaResetAt(new Date('2026-11-28T23:59:59.500Z')).toISOString()).toBe('2026-11-29T00:00:00.000Z');
    expect(quotaResetAt(new Date('2026-12-31T00:00:00.000Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('count by the UTC day', () => {
    expect(quotaDayOf(new Date('2026-11-28T23:59:59.999Z'))).toBe('2026-11-28');
    expect(quotaDayOf(new Date('2026-11-29T00:00:00.000Z'))).toBe('2026-11-29');
  });

  it('tell a client how many seconds to wait, at least one', () => {
    expect(secondsUntilQuotaReset(new Date('2026-11-28T23:00:00.000Z'))).toBe(3600);
    expect(secondsUntilQuotaReset(new Date('2026-11-28T23:59:59.999Z'))).toBe(1);
  });
});
