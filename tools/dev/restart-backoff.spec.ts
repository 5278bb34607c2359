import { nextRestartDelay, type RestartPolicy } from './restart-backoff';

const policy: RestartPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, stableAfterMs: 60_000 };

describe('nextRestartDelay', () => {
  it('waits the initial delay after a first crash', () => {
    expect(nextRestartDelay(undefined, 10, policy)).toBe(1_000);
  });

  it('doubles the delay while the service keeps crashing, up to the cap', () => {
    const delays: number[] = [];
    let delay: number | undefined;
    for (let crash = 0; crash < 8; crash++) {
      delay = nextRestartDelay(delay, 500, policy);
      delays.push(delay);
    }

    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over once the service stayed up a while', () => {
    expect(nextRestartDelay(16_000, 60_000, policy)).toBe(1_000);
    expect(nextRestartDelay(16_000, 59_999, policy)).toBe(30_000);
  });
});
