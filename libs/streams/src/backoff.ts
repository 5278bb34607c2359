export interface RetryBackoff {
  /** Delay before the first retry. */
  readonly baseMs: number;
  /** Upper bound of any delay; must stay below the claim idle time. */
  readonly maxMs: number;
  /** Fraction (0..1) of the delay randomly removed, so retries of a burst spread out. */
  readonly jitter: number;
}

/**
 * Exponential backoff with jitter: attempt 1 waits about `baseMs`, each next one twice as
 * long, never more than `maxMs`.
 */
export function backoffDelay(
  attempt: number,
  backoff: RetryBackoff,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const full = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(exponent, 30));
  return Math.round(full * (1 - backoff.jitter * random()));
}
