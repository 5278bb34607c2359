import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const backoff = { baseMs: 100, maxMs: 1_000, jitter: 0 };

  it('doubles from the base delay with each attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, backoff))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap, even for huge attempt numbers', () => {
    expect(backoffDelay(5, backoff)).toBe(1_000);
    expect(backoffDelay(10_000, backoff)).toBe(1_000);
  });

  it('removes up to the jitter fraction at random', () => {
    const jittered = { ...backoff, jitter: 0.5 };
    expect(backoffDelay(1, jittered, () => 0)).toBe(100);
    expect(backoffDelay(1, jittered, () => 1)).toBe(50);
  });
});
