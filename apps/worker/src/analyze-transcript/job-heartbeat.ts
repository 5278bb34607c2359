import type { Logger } from '@nestjs/common';

/**
 * Tells jobs every `intervalMs` that the worker is still on an attempt, so the watchdog does not
 * re-queue it while a long analysis (an LLM chain with retries and fallbacks) runs. One beat at a
 * time: the next is timed from the end of the last. A failed beat is logged and the next one tried;
 * a refusal (the job ended, or a newer attempt owns it) ends the beats.
 */
export class JobHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private stopped = false;

  /** `beat` answers false when jobs refused it for good. */
  constructor(
    private readonly beat: () => Promise<boolean>,
    private readonly intervalMs: number,
    private readonly log: Pick<Logger, 'warn'>,
    private readonly what: string,
  ) {}

  start(): this {
    this.schedule();
    return this;
  }

  /** No beat is sent once this resolves (a beat under way is waited for). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.beating;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.beating = this.beat()
        .then(
          (accepted) => {
            if (!accepted) this.stopped = true;
          },
          (error: unknown) =>
            this.log.warn(
              `heartbeat of ${this.what} failed: ${error instanceof Error ? error.message : String(error)}`,
            ),
        )
        .finally(() => {
          this.beating = undefined;
          this.schedule();
        });
    }, this.intervalMs);
  }
}
