import { filter, map, type Observable } from 'rxjs';
import type { JobStatusChanged } from '@scriptripper/contracts';
import { JOB_EVENTS_STREAM, JOB_STATUSES } from '@scriptripper/contracts';
import { StreamFanoutReader } from '@scriptripper/streams';
import type { GatewayConfig } from '../config';
import { ApiError } from '../http/api-error';

/** A job's status change as read from `events:jobs`, with its stream entry id. */
export interface JobStatusUpdate {
  readonly id: string;
  readonly change: JobStatusChanged;
}

/**
 * The one fan-out read of `events:jobs` per gateway instance, shared by every job event
 * stream (SSE): one job's (filtered by job id) and all of a user's (by user id). Started by
 * the first watcher, so an instance nobody watches holds no blocking connection; closing it
 * completes every watch.
 */
export class JobEventsFeed {
  private starting: Promise<StreamFanoutReader> | undefined;

  constructor(private readonly config: GatewayConfig) {}

  /**
   * The job's status changes from now on. Resolves once the read is positioned, so a status
   * the caller looks up afterwards is never older than the first change delivered.
   */
  watch(jobId: string): Promise<Observable<JobStatusUpdate>> {
    return this.changes((change) => change.job_id === jobId);
  }

  /**
   * The status changes of every job of this user from now on. Resolves once the read is
   * positioned: a list of jobs fetched afterwards misses none of the changes delivered.
   */
  watchUser(userId: string): Promise<Observable<JobStatusUpdate>> {
    return this.changes((change) => change.user_id === userId);
  }

  /** Ends every watch; closing again (each controller using the feed closes it) does nothing. */
  async close(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    const reader = await starting?.catch(() => undefined);
    await reader?.close();
  }

  private async changes(wanted: (change: JobStatusChanged) => boolean): Promise<Observable<JobStatusUpdate>> {
    const reader = await this.started();
    return reader.messages$.pipe(
      map(({ messageId, envelope }) => ({ id: messageId, change: envelope.data as JobStatusChanged })),
      filter(({ change }) => isStatusChange(change) && wanted(change)),
    );
  }

  private started(): Promise<StreamFanoutReader> {
    this.starting ??= this.start().catch((error: unknown) => {
      // Redis away: the next watcher tries again rather than inheriting this failure.
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  private async start(): Promise<StreamFanoutReader> {
    const reader = new StreamFanoutReader({
      redisUrl: this.config.REDIS_URL,
      keyPrefix: this.config.REDIS_KEY_PREFIX,
      streams: [JOB_EVENTS_STREAM],
    });
    try {
      await reader.start();
    } catch {
      await reader.close().catch(() => undefined);
      throw ApiError.unavailable('Job events are unavailable for now');
    }
    return reader;
  }
}

function isStatusChange(data: unknown): data is JobStatusChanged {
  const change = data as Partial<JobStatusChanged> | null;
  return (
    typeof change?.job_id === 'string' &&
    typeof change.status === 'string' &&
    JOB_STATUSES.includes(change.status) &&
    typeof change.attempt === 'number' &&
    typeof change.at === 'string'
  );
}
