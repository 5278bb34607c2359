import type { ServerResponse } from 'node:http';
import type { Observable, Subscription } from 'rxjs';
import type { JobStatusChanged } from '@scriptripper/contracts';
import { TERMINAL_JOB_STATUSES } from '@scriptripper/contracts';
import type { JobStatusUpdate } from './job-events.feed';

type StatusEvent = Omit<JobStatusChanged, 'user_id'>;

/** What every job event stream answers with: an event stream that no proxy buffers or rewrites. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // Nginx and similar proxies would otherwise buffer the stream.
  'x-accel-buffering': 'no',
};

/**
 * One client's Server-Sent Events stream of a job's status: the current status first, then
 * each newer change, a comment every heartbeat so proxies keep it open, and the end after a
 * terminal status. Ends, and lets go of the feed, when the client goes away.
 */
export class JobStatusStream {
  private last: StatusEvent | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private subscription: Subscription | undefined;
  private ended = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly heartbeatMs: number,
  ) {}

  /** Sends the headers and `current`; then `updates` until a terminal status or a disconnect. */
  start(
    headers: Readonly<Record<string, string | number | string[]>>,
    current: StatusEvent,
    updates: Observable<JobStatusUpdate>,
  ): void {
    this.response.on('close', () => this.end());
    this.response.writeHead(200, { ...headers, ...SSE_HEADERS });
    this.send(current);
    if (this.ended) return;
    this.heartbeat = setInterval(() => this.response.write(': heartbeat\n\n'), this.heartbeatMs);
    this.subscription = updates.subscribe({
      next: (update) => this.send(update.change, update.id),
      complete: () => this.end(),
      error: () => this.end(),
    });
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    this.subscription?.unsubscribe();
    if (!this.response.writableEnded) this.response.end();
  }

  private send(change: StatusEvent, id?: string): void {
    if (this.ended || !this.isNewer(change)) return;
    this.last = change;
    const data: StatusEvent = {
      job_id: change.job_id,
      status: change.status,
      attempt: change.attempt,
      at: change.at,
    };
    this.response.write(`event: status\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    if (TERMINAL_JOB_STATUSES.includes(change.status)) this.end();
  }

  /**
   * Changes read while the current status was looked up may be older than it, and one command
   * can emit two events with the same status (JobCreated, JobQueued): neither is news.
   */
  private isNewer(change: StatusEvent): boolean {
    const last = this.last;
    if (!last) return true;
    if (change.at < last.at) return false;
    return change.status !== last.status || change.attempt !== last.attempt;
  }
}
