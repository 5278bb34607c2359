// `npm run ops -- <command> ...` (or `node dist/tools/ops/ops.js <command> ...`): one entry for
// the operators' commands, each also runnable as `node dist/tools/ops/<command>.js`.
import { DLQ_USAGE, dlqMain } from './dlq';
import { isEntry, runCommand, UsageError } from './ops-cli';
import { REBUILD_USAGE, rebuildMain } from './rebuild-projections';
import { RELAY_USAGE, relayMain } from './relay';
import { REWRAP_USAGE, rewrapMain } from './rewrap-keys';
import { STUCK_JOBS_USAGE, stuckJobsMain } from './stuck-jobs';

export const OPS_COMMANDS: Record<
  string,
  { readonly usage: string; readonly main: (argv: readonly string[]) => Promise<number> }
> = {
  dlq: { usage: DLQ_USAGE, main: dlqMain },
  relay: { usage: RELAY_USAGE, main: relayMain },
  'rebuild-projections': { usage: REBUILD_USAGE, main: rebuildMain },
  'stuck-jobs': { usage: STUCK_JOBS_USAGE, main: stuckJobsMain },
  'rewrap-keys': { usage: REWRAP_USAGE, main: rewrapMain },
};

const USAGE = `Usage: npm run ops -- <command> [arguments]   (node dist/tools/ops/ops.js <command> ...)

Commands:
  dlq                  list, replay and purge the dead-letter streams
  relay                a service's outbox relay checkpoint; publish again from a time or a row
  rebuild-projections  rebuild a service's read models from its event table
  stuck-jobs           list and re-queue jobs without progress
  rewrap-keys          re-seal a service's keys with a new key-encryption key

\`npm run ops -- <command> --help\` explains each. See docs/runbooks/.`;

if (isEntry(module)) {
  const [name, ...rest] = process.argv.slice(2);
  const command = name ? OPS_COMMANDS[name] : undefined;
  void runCommand(command?.usage ?? USAGE, async () => {
    if (!command) throw new UsageError(name ? `unknown command "${name}"` : 'no command given');
    return command.main(rest);
  });
}
