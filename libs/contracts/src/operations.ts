import type { Actor } from './actor';

/**
 * Operators' RPCs of the jobs service on `rpc:jobs` (the `ops stuck-jobs` command). Only a
 * service actor or an admin may call them.
 */
export const JobsOperationsRpc = {
  listStuck: 'jobs.stuck.list',
  requeueStuck: 'jobs.stuck.requeue',
} as const;

export interface StuckJobsRequest {
  /** Jobs queued or running without any change for at least this many minutes (0: all of them). */
  readonly older_than_minutes: number;
  /** Only these jobs (still only when stuck); all stuck jobs when omitted. */
  readonly job_ids?: readonly string[];
  /** At most this many, oldest first (default 100, at most 1000). */
  readonly limit?: number;
}

export interface StuckJobView {
  readonly job_id: string;
  readonly user_id: string;
  readonly status: string;
  readonly attempts: number;
  /** The job's last change: how long it has been stuck. */
  readonly updated_at: string;
  /** A retry already scheduled for then (the scheduler dispatches it), or null. */
  readonly retry_at: string | null;
}

export interface StuckJobsPage {
  readonly items: readonly StuckJobView[];
}

/** requeued: a new attempt is queued; failed: it had no attempt left; unchanged: it moved on meanwhile. */
export type StuckJobOutcome = 'requeued' | 'failed' | 'unchanged';

export interface RequeueStuckJobsAnswer {
  readonly items: readonly (StuckJobView & { readonly outcome: StuckJobOutcome })[];
}

/** Who the operators' command-line tools act as; the audit shows this id on what they change. */
export const OPERATOR_TOOL_ACTOR: Actor = { id: 'operator:ops-tool', role: 'service', scopes: [] };
