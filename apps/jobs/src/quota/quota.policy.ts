import { DomainError, ErrorCodes, quotaResetAt, type ActorRole } from '@scriptripper/contracts';

/** The limits in force (from JobsConfig). A null cap is no cap. */
export interface QuotaLimits {
  readonly jobsPerDay: number;
  readonly transcriptBytes: number;
  readonly userDailySpendUsd: number | null;
  readonly totalDailySpendUsd: number | null;
}

/** Admins are exempt from the per-user quotas and the per-user spend cap (not from the total cap). */
const exempt = (role: ActorRole) => role === 'admin';

/**
 * The first transcript over the size quota, as a refusal (QUOTA_EXCEEDED, not retryable: the
 * same transcript will never fit); null when all fit. `sizes` are in the submission's order, so
 * a batch's refusal names the item.
 */
export function transcriptSizeRefusal(
  limits: QuotaLimits,
  role: ActorRole,
  sizes: readonly number[],
): DomainError | null {
  if (exempt(role)) return null;
  const index = sizes.findIndex((size) => size > limits.transcriptBytes);
  if (index < 0) return null;
  const which = sizes.length > 1 ? `item ${index}: the transcript` : 'the transcript';
  return new DomainError(
    ErrorCodes.quotaExceeded,
    `${which} is ${sizes[index]} bytes, over the per-transcript quota of ${limits.transcriptBytes} bytes`,
  );
}

/**
 * Refuses when `creating` more jobs on top of `usedToday` would pass the daily job quota
 * (QUOTA_EXCEEDED, retryable: it resets at the next UTC midnight, which the message names).
 */
export function dailyJobsRefusal(
  limits: QuotaLimits,
  role: ActorRole,
  usage: { readonly usedToday: number; readonly creating: number },
  now: Date,
): DomainError | null {
  if (exempt(role) || usage.usedToday + usage.creating <= limits.jobsPerDay) return null;
  const what = usage.creating > 1 ? `these ${usage.creating} jobs would pass` : 'you have reached';
  return new DomainError(
    ErrorCodes.quotaExceeded,
    `${what} the daily quota of ${limits.jobsPerDay} jobs (${usage.usedToday} created today); ` +
      `it resets at ${quotaResetAt(now).toISOString()}`,
    true,
  );
}

/**
 * Refuses new work once the day's LLM spend is at or above a cap (`>=`, so a cap of 0 refuses
 * everything): the user's own cap first, then the platform's (SPEND_CAP_REACHED, retryable at
 * the next UTC midnight).
 */
export function spendCapRefusal(
  limits: QuotaLimits,
  role: ActorRole,
  spent: { readonly userUsd: number; readonly totalUsd: number },
  now: Date,
): DomainError | null {
  const resets = `it resets at ${quotaResetAt(now).toISOString()}`;
  const cap = limits.userDailySpendUsd;
  if (cap !== null && !exempt(role) && spent.userUsd >= cap) {
    return new DomainError(
      ErrorCodes.spendCapReached,
      `your daily LLM spend cap of ${usd(cap)} is reached (${usd(spent.userUsd)} spent today); ${resets}`,
      true,
    );
  }
  const total = limits.totalDailySpendUsd;
  if (total !== null && spent.totalUsd >= total) {
    return new DomainError(
      ErrorCodes.spendCapReached,
      `the platform's daily LLM spend cap of ${usd(total)} is reached; ${resets}`,
      true,
    );
  }
  return null;
}

function usd(amount: number): string {
  return `$${amount.toFixed(amount > 0 && amount < 0.01 ? 4 : 2)}`;
}
