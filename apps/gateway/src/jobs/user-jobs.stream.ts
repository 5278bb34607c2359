import type { ServerResponse } from 'node:http';
import type { Observable, Subscription } from 'rxjs';
import type { JobStatusChanged } from '@scriptripper/contracts';
import type { JobStatusUpdate } from './job-events.feed';
import { SSE_HEADERS } from './job-status.stream';

type StatusEvent = Omit<JobStatusChanged, 'user_id'>;

/** Jobs whose last status is remembered, to drop repeats; the oldest is forgotten beyond it. */
const REMEMBERED_JOBS = 1_000;

/**
 * One client's Server-Sent Events stream of the status changes of all its user's jobs:
 * `event: status` per change, from the moment it opened (the client lists its jobs after the
 * headers arrive and misses nothing), a comment every heartbeat so proxies keep it open. It
 * does not end on a job's terminal status; it ends when the client goes away or the gateway
 * stops (a client reconnects and lists again).
 */
export class UserJobsStream {
  private readonly last = new Map<string, StatusEvent>();
  private heartbeat: NodeJS.Timeout | undefined;
  private subscription: Subscription | undefined;
  private ended = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly heartbeatMs: number,
  ) {}

  start(
    headers: Readonly<Record<string, string | number | string[]>>,
    updates: Observable<JobStatusUpdate>,
  ): void {
    this.response.on('close', () => this.end());
    this.response.writeHead(200, { ...headers, ...SSE_HEADERS });
    // Sends the headers now: the client knows the stream is positioned before any change.
    this.response.write(': watching your jobs\n\n');
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

  private send(change: StatusEvent, id: string): void {
    if (this.ended || !this.isNews(change)) return;
    this.remember(change);
    const data: StatusEvent = {
      job_id: change.job_id,
      status: change.status,
      attempt: change.attempt,
      at: change.at,
    };
    this.response.write(`event: status\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** One command can emit two events with the same status (JobCreated, JobQueued): one is news. */
  private isNews(change: StatusEvent): boolean {
    const last = this.last.get(change.job_id);
    if (!last) return true;
    if (change.at < last.at) return false;
    return change.status !== last.status || change.attempt !== last.attempt;
  }

  private remember(change: StatusEvent): void {
    this.last.delete(change.job_id);
    this.last.set(change.job_id, change);
    if (this.last.size > REMEMBERED_JOBS) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
  }
}
