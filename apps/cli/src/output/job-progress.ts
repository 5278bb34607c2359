import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { JobStatus } from '@scriptripper/contracts';
import type { Output } from './output';

export interface TrackedJob {
  readonly job_id: string;
  readonly label: string;
}

/** How far along a status is: queued, running, then one of the ends. */
const STEP: Readonly<Record<JobStatus, number>> = {
  queued: 0,
  running: 1,
  completed: 2,
  failed: 2,
  cancelled: 2,
};

/**
 * One progress bar per job on a terminal (stderr); elsewhere (a pipe, CI) one line per status
 * change, so logs stay readable. Nothing at all with `--quiet`.
 */
export class JobProgress {
  private readonly bars = new Map<string, SingleBar>();
  private readonly last = new Map<string, JobStatus>();
  private readonly multi: MultiBar | undefined;

  constructor(
    private readonly output: Output,
    private readonly jobs: readonly TrackedJob[],
    private readonly quiet: boolean,
  ) {
    if (quiet || !output.stderrIsTty) return;
    const width = Math.max(...jobs.map((job) => job.label.length), 4);
    this.multi = new MultiBar(
      {
        stream: output.stderr,
        format: (options, params, payload: { label: string; status: string }) =>
          `${payload.label.padEnd(width)} ${(options.barCompleteString ?? '')
            .slice(0, Math.round(params.progress * (options.barsize ?? 20)))
            .padEnd(options.barsize ?? 20, options.barIncompleteString?.[0] ?? '-')} ${payload.status}`,
        barsize: 20,
        // A hidden cursor would stay hidden after Ctrl-C.
        hideCursor: false,
        clearOnComplete: false,
      },
      Presets.shades_classic,
    );
    for (const job of jobs) {
      this.bars.set(job.job_id, this.multi.create(2, 0, { label: job.label, status: 'submitted' }));
    }
  }

  update(statuses: ReadonlyMap<string, JobStatus>): void {
    if (this.quiet) return;
    for (const job of this.jobs) {
      const status = statuses.get(job.job_id);
      if (!status || this.last.get(job.job_id) === status) continue;
      this.last.set(job.job_id, status);
      const bar = this.bars.get(job.job_id);
      if (bar) bar.update(STEP[status], { label: job.label, status });
      else this.output.note(`${job.label}: ${status}`);
    }
  }

  stop(): void {
    this.multi?.stop();
  }
}
