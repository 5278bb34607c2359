import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The repository: the nearest folder above this file with a package.json. */
export const workspaceRoot = findWorkspaceRoot(__dirname);

/**
 * Where the compiled services are: `SCRIPTRIPPER_BUILD_ROOT` when set (a build made with
 * `--out-dir`, so several builds can live side by side), else dist/ when this file runs from
 * source (Jest), or the build this file was compiled into (a bench or tool run from `dist/`).
 */
function buildRoot(): string {
  const chosen = process.env['SCRIPTRIPPER_BUILD_ROOT'];
  if (chosen) return resolve(chosen);
  return __filename.endsWith('.js') ? resolve(__dirname, '../../..') : join(workspaceRoot, 'dist');
}

function findWorkspaceRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${start}`);
  }
}

/** A compiled file of the build; `npm test` builds first, a direct Jest run needs `npm run build`. */
export function builtFile(relativePath: string): string {
  const path = join(buildRoot(), relativePath);
  if (!existsSync(path))
    throw new Error(`${path} does not exist: run \`npm run build\` first (npm test does).`);
  return path;
}

export interface NodeProcess {
  readonly child: ChildProcess;
  /** Every line written to stdout and stderr so far. */
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, and SIGKILL when still running after the grace period. */
  stop(graceMs?: number): Promise<void>;
}

export function startNode(script: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): NodeProcess {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: workspaceRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => lines.push(line));
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  const stop = async (graceMs = 20_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { child, lines, exited, stop };
}

/** Polls until `probe` answers something, or fails naming what it waited for. */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await probe();
    if (answer !== undefined) return answer;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000}s`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
}

/** The HTTP status of a GET, or undefined when nothing answers. */
export async function statusOf(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
