// `npm start` on a fresh checkout: installs the dependencies from the lockfile when they are
// missing or older than it, builds, then runs the launcher (tools/dev/start.ts) until it ends.
// Plain Node with no dependencies, since it runs before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function runOrExit(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function dependenciesAreCurrent() {
  const installed = join(root, 'node_modules/.package-lock.json');
  if (!existsSync(installed)) return false;
  return statSync(installed).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
}

if (!dependenciesAreCurrent()) {
  console.log('[dev] installing dependencies from package-lock.json (npm ci)');
  runOrExit(npm, ['ci', '--no-audit', '--no-fund']);
}
runOrExit(process.execPath, [join(root, 'tools/build/build.mjs')]);

const launcher = spawn(process.execPath, [join(root, 'dist/tools/dev/start.js')], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the launcher directly (same process group); a SIGTERM sent to npm's process
// is passed on. Either way this process waits for the launcher's orderly shutdown.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => launcher.kill('SIGTERM'));
launcher.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
