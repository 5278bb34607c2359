import { CliError } from './cli-error';
import { ExitCode } from './exit-codes';

export interface WaitOptions {
  readonly intervalMs: number;
  /** 0: no limit. */
  readonly timeoutSeconds: number;
}

/** Asks `probe` every interval until it answers something; fails after the timeout. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: WaitOptions,
): Promise<T> {
  const deadline = options.timeoutSeconds > 0 ? Date.now() + options.timeoutSeconds * 1000 : Infinity;
  for (;;) {
    const answer = await probe();
    if (answer !== undefined) return answer;
    if (Date.now() >= deadline) {
      throw new CliError(
        'TIMEOUT',
        `gave up waiting for ${what} after ${options.timeoutSeconds} s`,
        ExitCode.failure,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
