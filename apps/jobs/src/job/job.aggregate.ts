import type {
  AnalyzeTranscriptWork,
  BlobReference,
  JobMetrics,
  JobStatus,
  TranscriptFormatName,
} from '@scriptripper/contracts';
import { conflict, notFound, TERMINAL_JOB_STATUSES } from '@scriptripper/contracts';
import type { JobError, JobEvent, JobEventMap } from './job.events';

/**
 * A job as its own events tell it. Pure: `evolve` folds events, `decide` answers a command
 * with new events. Every report names its attempt, so a stale worker's report is refused and
 * a duplicate changes nothing; a terminal job refuses every change (exactly one terminal state).
 */
export interface Job {
  readonly jobId: string;
  readonly userId: string;
  readonly userRole: 'user' | 'admin';
  readonly status: JobStatus;
  /** The attempt whose work message is (or will be) out; 1 for the first. */
  readonly attempt: number;
  /** A retry is scheduled and its work message not sent yet. */
  readonly retryPending: boolean;
  /** JobDeleted: every later command finds no job. */
  readonly deleted?: boolean;
  /** JobTranscriptExpired: custom prompts on it are refused (410). */
  readonly transcriptExpired?: boolean;
  readonly work: Omit<AnalyzeTranscriptWork, 'job_id' | 'user_id' | 'attempt'>;
}
export type JobState = Job | null;
export const initialJobState: JobState = null;

export type JobCommand =
  | {
      readonly type: 'CreateJob';
      readonly jobId: string;
      readonly userId: string;
      readonly userRole: 'user' | 'admin';
      readonly profile: { readonly id: string; readonly key: string; readonly version: number };
      readonly input: BlobReference;
      readonly format: TranscriptFormatName | null;
      readonly filename: string | null;
      readonly meetingDate: string | null;
      /** The batch the job belongs to, if any. */
      readonly batchId?: string | null;
      /** The job this one re-runs, if any. */
      readonly rerunOf?: string | null;
      readonly at: string;
    }
  | { readonly type: 'MarkStarted'; readonly attempt: number; readonly at: string }
  /** The worker is still on `attempt` (a long analysis): the job shows progress, so the watchdog waits. */
  | { readonly type: 'Heartbeat'; readonly attempt: number; readonly at: string }
  | {
      readonly type: 'MarkCompleted';
      readonly attempt: number;
      readonly metrics: JobMetrics;
      readonly cost: number;
      readonly artifactIds: readonly string[];
      readonly at: string;
    }
  | {
      readonly type: 'MarkFailed';
      readonly attempt: number;
      readonly error: JobError;
      readonly maxAttempts: number;
      /** When the retry's work message goes out, if the failure is retried. */
      readonly retryAt: string;
      readonly at: string;
    }
  | { readonly type: 'CancelJob'; readonly at: string }
  /** The owner deletes the job; a job not finished yet is cancelled first. */
  | { readonly type: 'DeleteJob'; readonly at: string }
  /** Artifacts expired the job's transcript; recorded once, whatever the job's status. */
  | { readonly type: 'RecordTranscriptExpired'; readonly at: string }
  /** The scheduler sends a scheduled retry's work message once its time has come. */
  | { readonly type: 'DispatchRetry'; readonly at: string }
  /** The watchdog found `attempt` without progress for too long (its work lost, or its worker dead). */
  | {
      readonly type: 'RequeueStalled';
      readonly attempt: number;
      readonly maxAttempts: number;
      readonly at: string;
    };

export const JOB_STALLED = 'JOB_STALLED';

export function evolve(state: JobState, event: JobEvent): JobState {
  if (event.type === 'JobCreated') {
    const data = event.data;
    return {
      jobId: data.job_id,
      userId: data.user_id,
      userRole: data.user_role,
      status: data.status,
      attempt: data.attempt,
      retryPending: false,
      work: {
        input: data.input,
        format: data.format,
        filename: data.filename,
        meeting_date: data.meeting_date,
        profile: { key: data.profile_key, version: data.profile_version },
      },
    };
  }
  if (!state) return state;
  if (event.type === 'JobDeleted') return { ...state, deleted: true };
  if (event.type === 'JobTranscriptExpired') return { ...state, transcriptExpired: true };
  return {
    ...state,
    status: event.data.status,
    attempt: event.data.attempt,
    // A retry's JobQueued sends its work message; the stalled path appends both at once.
    retryPending: event.type === 'JobRetryScheduled',
  };
}

export function decide(state: JobState, command: JobCommand): JobEvent[] {
  if (command.type === 'CreateJob') {
    if (state) throw conflict(`job ${command.jobId} exists already`);
    const status = { job_id: command.jobId, user_id: command.userId, attempt: 1, at: command.at };
    return [
      event('JobCreated', {
        ...status,
        status: 'queued',
        profile_id: command.profile.id,
        profile_key: command.profile.key,
        profile_version: command.profile.version,
        user_role: command.userRole,
        input: command.input,
        format: command.format,
        filename: command.filename,
        meeting_date: command.meetingDate,
        ...(command.batchId ? { batch_id: command.batchId } : {}),
        ...(command.rerunOf ? { rerun_of: command.rerunOf } : {}),
      }),
      event('JobQueued', { ...status, status: 'queued' }),
    ];
  }
  if (!state) throw notFound('no such job');
  // A deleted job refuses for good, as a finished one does (the worker stops on CONFLICT); users
  // never get here for it: its read model row is gone, so the service answers NOT_FOUND first.
  if (state.deleted) throw conflict(`job ${state.jobId} was deleted`);
  const job = state;
  const statusAt = (status: JobStatus, attempt = job.attempt) => ({
    job_id: job.jobId,
    user_id: job.userId,
    status,
    attempt,
    at: command.at,
  });
  switch (command.type) {
    case 'MarkStarted':
      requireCurrentAttempt(job, command.attempt);
      if (job.status === 'running') return [];
      return [event('JobStarted', statusAt('running'))];
    case 'Heartbeat':
      // Refused as MarkStarted is (ended, stale attempt), so the worker stops its heartbeats.
      requireCurrentAttempt(job, command.attempt);
      // Its start report not in yet: nothing to keep alive; the start itself will be progress.
      if (job.status !== 'running') return [];
      return [event('JobProgressed', statusAt('running'))];
    case 'MarkCompleted': {
      requireCurrentAttempt(job, command.attempt);
      // A completion whose start report was lost still passes through running.
      const started = job.status === 'queued' ? [event('JobStarted', statusAt('running'))] : [];
      return [
        ...started,
        event('JobCompleted', {
          ...statusAt('completed'),
          metrics: command.metrics,
          cost: command.cost,
          artifact_ids: command.artifactIds,
        }),
      ];
    }
    case 'MarkFailed':
      requireCurrentAttempt(job, command.attempt);
      if (command.error.retryable && job.attempt < command.maxAttempts) {
        return [
          event('JobRetryScheduled', {
            ...statusAt('queued', job.attempt + 1),
            retry_at: command.retryAt,
            reason: 'failed',
            error: command.error,
          }),
        ];
      }
      return [event('JobFailed', { ...statusAt('failed'), error: command.error })];
    case 'CancelJob':
      requireNotTerminal(job);
      return [event('JobCancelled', statusAt('cancelled'))];
    case 'DeleteJob': {
      const deleted = event('JobDeleted', { job_id: job.jobId, user_id: job.userId, at: command.at });
      return isTerminal(job) ? [deleted] : [event('JobCancelled', statusAt('cancelled')), deleted];
    }
    case 'RecordTranscriptExpired':
      if (job.transcriptExpired) return [];
      return [event('JobTranscriptExpired', { job_id: job.jobId, user_id: job.userId, at: command.at })];
    case 'DispatchRetry':
      if (isTerminal(job) || !job.retryPending) return [];
      return [event('JobQueued', statusAt('queued'))];
    case 'RequeueStalled':
      // The job moved on since the watchdog looked, or a retry is already on its way.
      if (isTerminal(job) || job.retryPending || job.attempt !== command.attempt) return [];
      if (job.attempt >= command.maxAttempts) {
        return [
          event('JobFailed', {
            ...statusAt('failed'),
            error: {
              code: JOB_STALLED,
              message: `no progress after ${job.attempt} attempt(s); giving up`,
              retryable: false,
            },
          }),
        ];
      }
      return [
        event('JobRetryScheduled', {
          ...statusAt('queued', job.attempt + 1),
          retry_at: command.at,
          reason: 'stalled',
          error: null,
        }),
        event('JobQueued', statusAt('queued', job.attempt + 1)),
      ];
  }
}

/** The work message for the job's current attempt. */
export function workOf(job: Job): AnalyzeTranscriptWork {
  return { job_id: job.jobId, user_id: job.userId, attempt: job.attempt, ...job.work };
}

export function isTerminal(job: Job): boolean {
  return TERMINAL_JOB_STATUSES.includes(job.status);
}

function requireNotTerminal(job: Job): void {
  if (isTerminal(job)) throw conflict(`job ${job.jobId} is ${job.status} already`);
}

function requireCurrentAttempt(job: Job, attempt: number): void {
  requireNotTerminal(job);
  if (attempt !== job.attempt || job.retryPending) {
    throw conflict(`attempt ${attempt} of job ${job.jobId} is not the current one (${job.attempt})`);
  }
}

function event<K extends keyof JobEventMap>(type: K, data: JobEventMap[K]): JobEvent {
  return { type, data } as JobEvent;
}
