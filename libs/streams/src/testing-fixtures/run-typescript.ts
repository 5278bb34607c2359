import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

/**
 * Runs a TypeScript file in a real child process, compiled on the fly by @swc/core (already
 * used by Jest) with the workspace's path aliases, so a test can SIGKILL a real consumer.
 */
export function forkTypeScript(file: string, env: Record<string, string>): ChildProcess {
  const swcrc = JSON.parse(readFileSync(join(workspaceRoot, '.swcrc'), 'utf8')) as {
    jsc: Record<string, unknown>;
  } & Record<string, unknown>;
  delete swcrc['$schema'];
  const tsconfig = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const swcOptions = {
    ...swcrc,
    swcrc: false,
    sourceMaps: false,
    jsc: { ...swcrc.jsc, baseUrl: workspaceRoot, paths: tsconfig.compilerOptions.paths },
  };
  return fork(join(__dirname, 'typescript-loader.js'), [file], {
    cwd: workspaceRoot,
    env: { ...process.env, ...env, SWC_OPTIONS: JSON.stringify(swcOptions) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}
