/** How long to wait before restarting a service that died, as Kubernetes' CrashLoopBackOff does. */
export interface RestartPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** A process that ran at least this long counts as healthy: its next crash starts over. */
  readonly stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
};

/** 1s, 2s, 4s ... capped; back to the start after a run that lasted. */
export function nextRestartDelay(
  previousDelayMs: number | undefined,
  uptimeMs: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): number {
  if (previousDelayMs === undefined || uptimeMs >= policy.stableAfterMs) return policy.initialDelayMs;
  return Math.min(previousDelayMs * 2, policy.maxDelayMs);
}
