// Compiles apps, libs and tools to dist/ with swc (decorator metadata included, as Nest
// needs it) and rewrites the @scriptripper/* path aliases of tsconfig.base.json into
// relative requires, so `node dist/apps/<app>/src/main.js` runs with no loader.
// Type checking is separate (`npm run typecheck`): swc only strips types.
// The web console (apps/web) is a browser app: Vite bundles it into dist/apps/web instead.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const { paths } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
swcrc.jsc.baseUrl = root;
swcrc.jsc.paths = paths;
swcrc.exclude = ['\\.spec\\.ts$'];

// `--out-dir DIR` builds elsewhere (inside the repository, so node_modules still resolves),
// e.g. to benchmark without replacing the dist/ that running services use.
const outIndex = process.argv.indexOf('--out-dir');
const outDir = outIndex > 0 ? process.argv[outIndex + 1] : 'dist';
if (!outDir) throw new Error('--out-dir needs a folder');

const dir = mkdtempSync(join(tmpdir(), 'scriptripper-build-'));
const config = join(dir, '.swcrc');
writeFileSync(config, JSON.stringify(swcrc));
try {
  rmSync(resolve(root, outDir), { recursive: true, force: true });
  execFileSync(
    join(root, 'node_modules/.bin/swc'),
    [
      'apps',
      'libs',
      'tools',
      '-d',
      outDir,
      '--config-file',
      config,
      '--copy-files',
      '--ignore',
      '**/*.spec.ts',
      '--ignore',
      'apps/web/**',
    ],
    { cwd: root, stdio: 'inherit' },
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// The console's static files, which the gateway serves at `/`.
execFileSync(
  join(root, 'node_modules/.bin/vite'),
  ['build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, WEB_OUT_DIR: resolve(root, outDir, 'apps/web') } },
);
