import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../cli';
import type { CliIo } from '../cli-io';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (for `--json` runs). */
  json<T = Record<string, unknown>>(): T;
}

/** A folder of the test's own: the working directory and XDG_CONFIG_HOME of its CLI runs. */
export class CliSandbox {
  private constructor(readonly folder: string) {}

  static async create(): Promise<CliSandbox> {
    return new CliSandbox(await mkdtemp(join(tmpdir(), 'scriptripper-cli-')));
  }

  get configHome(): string {
    return join(this.folder, 'config');
  }

  get configFile(): string {
    return join(this.configHome, 'scriptripper', 'config.json');
  }

  /** Runs the CLI in-process, as `scriptripper <argv>` with this environment and stdin. */
  async run(argv: readonly string[], env: NodeJS.ProcessEnv = {}, stdin = ''): Promise<CliRun> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk));
    stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const io: CliIo = {
      stdout,
      stderr,
      stdin: Readable.from([Buffer.from(stdin)]),
      env: { HOME: this.folder, XDG_CONFIG_HOME: this.configHome, ...env },
      cwd: this.folder,
    };
    const code = await runCli(['--poll-interval', '5', ...argv], io);
    const text = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
    return {
      code,
      ...text,
      json: <T>() => {
        try {
          return JSON.parse(text.stdout) as T;
        } catch {
          throw new Error(`stdout is not JSON:\n${text.stdout}\nstderr:\n${text.stderr}`);
        }
      },
    };
  }

  async remove(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}
