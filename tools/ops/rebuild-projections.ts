// `node dist/tools/ops/rebuild-projections.js --service S [--dry-run] [--json]`: runs that
// service's own rebuild (`dist/apps/<S>/src/rebuild-projections.js`, built beside this file),
// which replays its events through the same projection code its appends run. Tools never
// import apps, so the service's projections stay in the service and this only dispatches.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isEntry, parseCommandLine, runCommand, UsageError } from './ops-cli';

/**
 * Services whose read models are projections of their own event table alone. Jobs records what
 * other services' events do to its read models in its own events first (UserPurged as
 * UserDataErased, ArtifactExpired as JobTranscriptExpired), so its replay keeps purged rows gone.
 */
export const REBUILDABLE_SERVICES = ['auth', 'profiles', 'artifacts', 'jobs'] as const;

export const REBUILD_USAGE = `Usage: node dist/tools/ops/rebuild-projections.js --service S [--dry-run] [--json]
  (or: npm run ops -- rebuild-projections --service S ...)

Empties service S's read models and replays its events through its projections in one
transaction (its appends wait meanwhile). --dry-run rebuilds, reports the differing rows and
rolls back (exit 3 when the read models had drifted).
Options: --service auth|profiles|artifacts|jobs (required), --dry-run, --json, --help.
Settings: DATABASE_URL (auth also AUTH_KEY_ENCRYPTION_KEY, jobs also JOBS_KEY_ENCRYPTION_KEY).`;

/** The service's rebuild entry in the same build as this file. */
export function rebuildEntryOf(service: string, buildRoot = resolve(__dirname, '../..')): string {
  return resolve(buildRoot, 'apps', service, 'src', 'rebuild-projections.js');
}

export async function rebuildMain(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    service: { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${REBUILD_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const service = values.service;
  if (!service || !(REBUILDABLE_SERVICES as readonly string[]).includes(service)) {
    throw new UsageError(`--service must be one of ${REBUILDABLE_SERVICES.join(', ')}`);
  }
  const entry = rebuildEntryOf(service);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npm run build)`);
  const args = [entry, ...(values['dry-run'] ? ['--dry-run'] : []), ...(values.json ? ['--json'] : [])];
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
  });
}

if (isEntry(module)) void runCommand(REBUILD_USAGE, () => rebuildMain(process.argv.slice(2)));
