/**
 * Quotas and spend caps. Daily limits count per UTC day: they reset at the next UTC midnight,
 * which a refusal's message names and the gateway's `Retry-After` header counts down to.
 */

/** The moment the daily quotas and spend caps in force at `now` reset: the next UTC midnight. */
export function quotaResetAt(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** The start of the UTC day of `at`: the day a job's creation (or a cost) counts against. */
export function quotaDayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Whole seconds from `now` until the daily limits reset (at least 1). */
export function secondsUntilQuotaReset(now: Date): number {
  return Math.max(1, Math.ceil((quotaResetAt(now).getTime() - now.getTime()) / 1000));
}
