import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DEFAULT_RESTART_POLICY, nextRestartDelay, type RestartPolicy } from './restart-backoff';

export interface ServiceProcessOptions {
  readonly name: string;
  /** The compiled entry point, run with this Node. */
  readonly script: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Prints one line of the service's output. */
  readonly output: (line: string) => void;
  /** Prints one line about the service (started, died, restarting). */
  readonly log: (line: string) => void;
  readonly restartPolicy?: RestartPolicy;
}

const STOP_GRACE_MS = 10_000;

/** One service process, restarted with a growing pause when it dies, as Kubernetes would. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private startedAt = 0;
  private restartDelayMs: number | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly options: ServiceProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const { script, cwd, env, log } = this.options;
    // Its own process group: a terminal's Ctrl-C reaches the launcher only, which stops the
    // services itself (before the database) and does not mistake their exit for a crash.
    const child = spawn(process.execPath, [script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.startedAt = Date.now();
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', this.options.output);
    }
    child.on('error', (error) => log(`could not start: ${error.message}`));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    log(`started (pid ${child.pid})`);
  }

  /** SIGTERM, then SIGKILL if it has not exited after the grace period; no restart after. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => {
      this.options.log(`did not stop within ${STOP_GRACE_MS / 1000}s; killing it`);
      child.kill('SIGKILL');
    }, STOP_GRACE_MS);
    await exited;
    clearTimeout(killTimer);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child || this.stopping) return;
    const uptimeMs = Date.now() - this.startedAt;
    this.restartDelayMs = nextRestartDelay(
      this.restartDelayMs,
      uptimeMs,
      this.options.restartPolicy ?? DEFAULT_RESTART_POLICY,
    );
    const how = signal ? `was killed (${signal})` : `exited (code ${code})`;
    this.options.log(
      `${how} after ${(uptimeMs / 1000).toFixed(1)}s; restarting in ${this.restartDelayMs / 1000}s`,
    );
    this.restartTimer = setTimeout(() => this.start(), this.restartDelayMs);
  }
}
