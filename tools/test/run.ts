/**
 * `npm test`: every check CI runs, in one command.
 *
 * 1. lint (ESLint with module boundaries and no import cycles), format check, typecheck;
 * 2. unit tests, then integration and e2e tests against Postgres and Redis: the ones in
 *    DATABASE_URL / REDIS_URL, or embedded ones started here and stopped afterwards.
 *
 * Extra arguments go to Nx, e.g. `npm test -- --projects=streams`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureInfrastructure, redact } from '../infra/infrastructure';

const root = resolve(__dirname, '../../..');
const extraArgs = process.argv.slice(2);

class StepFailed extends Error {}

function run(title: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    throw new StepFailed(`${title} FAILED after ${seconds}s (exit ${result.status ?? result.signal})`);
  }
  console.log(`=== ${title} passed in ${seconds}s`);
}

const resultsDir = join(root, 'tmp/test-results');

/** Adds up the JSON results every Jest run wrote, for one closing line CI can read. */
function summarise(): void {
  if (!existsSync(resultsDir)) return;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of readdirSync(resultsDir).filter((name) => name.endsWith('.json'))) {
    const result = JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
    };
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    skipped += result.numPendingTests + result.numTodoTests;
  }
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

async function main(): Promise<void> {
  rmSync(resultsDir, { recursive: true, force: true });
  const bin = (name: string) => join(root, 'node_modules/.bin', name);
  if (!process.env['SKIP_STATIC_CHECKS']) {
    run('nx project graph', bin('nx'), ['show', 'projects'], { ...process.env, NX_DAEMON: 'false' });
    run('lint', bin('eslint'), ['.', '--max-warnings', '0']);
    run('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
    run('typecheck', bin('tsc'), ['-p', 'tsconfig.json']);
  }
  run('unit tests', bin('nx'), ['run-many', '-t', 'test', '--outputStyle=stream', ...extraArgs]);
  // docker/ and k8s/ are checked offline with Debian's docker-compose and kubectl 1.20.
  run('deployment checkers', 'bash', ['tools/deploy/install-tools.sh']);

  const dataDir = mkdtempSync(join(tmpdir(), 'scriptripper-test-pg-'));
  const infrastructure = await ensureInfrastructure({
    postgresDataDir: dataDir,
    persistent: false,
    log: console.log,
  });
  try {
    console.log(`Postgres: ${redact(infrastructure.databaseUrl)}  Redis: ${infrastructure.redisUrl}`);
    const env = {
      ...process.env,
      DATABASE_URL: infrastructure.databaseUrl,
      REDIS_URL: infrastructure.redisUrl,
    };
    run('integration tests', bin('nx'), ['run-many', '-t', 'int', '--outputStyle=stream', ...extraArgs], env);
    run('e2e tests', bin('nx'), ['run-many', '-t', 'e2e', '--outputStyle=stream', ...extraArgs], env);
  } finally {
    await infrastructure.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  summarise();
}

main().catch((error: unknown) => {
  console.error(`\n=== ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof StepFailed) summarise();
  process.exit(1);
});
