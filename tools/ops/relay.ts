// `node dist/tools/ops/relay.js <status|republish|after-restore> --service S ...`: a data service's outbox
// relay checkpoint, and moving it back so the relay publishes events again from a time or a row.
import {
  createEventStoreOrm,
  outboxRelayStatus,
  renumberOutboxAfterRestore,
  rewindOutboxRelay,
  type RewindTarget,
} from '@scriptripper/event-store';
import {
  isEntry,
  opsSettings,
  parseCommandLine,
  parseMoment,
  report,
  runCommand,
  UsageError,
} from './ops-cli';

export const DATA_SERVICES = ['auth', 'profiles', 'jobs', 'artifacts'] as const;

export const RELAY_USAGE = `Usage: node dist/tools/ops/relay.js <command> --service S [options]   (or: npm run ops -- relay ...)

Commands:
  status                      the relay's checkpoint, unpublished rows, oldest and newest outbox rows
  republish                   move the checkpoint back; the running relay publishes from there again
    --since AGE               from the first outbox row created at or after AGE (7d, 12h, 30m, or an ISO time)
    --from-position TX:POS    from the outbox row at transaction id TX, position POS (see status)
    --dry-run                 say how many rows would be published again, change nothing
  after-restore               after a pg_dump/pg_restore into another cluster, with the service
                              stopped: move the restored outbox rows out of the old cluster's
                              transaction ids and publish the last 7 days again (see
                              docs/runbooks/postgres-backup-restore.md)
    --dry-run                 say what would change, change nothing

Options: --service auth|profiles|jobs|artifacts (required), --json, --help.
Settings: DATABASE_URL.
Consumers' inboxes drop what they already handled, so publishing again is safe; rows older than
the outbox's oldest row were pruned and cannot be republished. The checkpoint only moves back.`;

const OPTIONS = {
  service: { type: 'string' },
  since: { type: 'string' },
  'from-position': { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** `TX:POS` (both integers) as the relay's place of that row. */
export function parsePosition(text: string): { transactionId: string; position: number } {
  const match = /^(\d+):(\d+)$/.exec(text.trim());
  if (!match)
    throw new UsageError(`--from-position must be TX:POS (two integers, as status shows), not "${text}"`);
  return { transactionId: match[1] as string, position: Number(match[2]) };
}

export async function relayMain(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(`${RELAY_USAGE}\n`);
    return 0;
  }
  const command = positionals[0];
  if (!command || !['status', 'republish', 'after-restore'].includes(command) || positionals.length > 1) {
    throw new UsageError(command ? `unknown command "${positionals.join(' ')}"` : 'no command given');
  }
  const service = values.service;
  if (!service || !(DATA_SERVICES as readonly string[]).includes(service)) {
    throw new UsageError(`--service must be one of ${DATA_SERVICES.join(', ')}`);
  }
  let target: RewindTarget | undefined;
  if (command === 'republish') {
    if (Boolean(values.since) === Boolean(values['from-position'])) {
      throw new UsageError('republish needs exactly one of --since and --from-position');
    }
    target = values.since
      ? { since: parseMoment(values.since) }
      : { from: parsePosition(values['from-position'] as string) };
  }
  const { databaseUrl } = opsSettings(['databaseUrl'], env);
  const orm = await createEventStoreOrm({ clientUrl: databaseUrl, schema: service });
  try {
    const json = values.json === true;
    if (command === 'after-restore') {
      const dryRun = values['dry-run'] === true;
      const outcome = await renumberOutboxAfterRestore(orm.em, { name: service, dryRun });
      report(
        json,
        outcome,
        () =>
          `${service} relay: ${dryRun ? 'would renumber' : 'renumbered'} ${outcome.renumbered} restored outbox row(s);` +
          ` checkpoint ${dryRun ? 'would move' : 'moved'} to ${place(outcome.checkpoint)}, ${outcome.republish} row(s) to publish`,
      );
      return 0;
    }
    if (!target) {
      const status = await outboxRelayStatus(orm.em, service);
      report(json, status, () =>
        [
          `${service} relay: checkpoint ${status.checkpoint.transactionId}:${status.checkpoint.position}` +
            ` (epoch ${status.checkpoint.epoch ?? '-'}, moved ${status.checkpoint.updatedAt})`,
          `unpublished rows: ${status.unpublished}`,
          `oldest outbox row: ${describeRow(status.oldestRow)}`,
          `newest outbox row: ${describeRow(status.newestRow)}`,
        ].join('\n'),
      );
      return 0;
    }
    const dryRun = values['dry-run'] === true;
    const outcome = await rewindOutboxRelay(orm.em, { name: service, target, dryRun });
    report(json, outcome, () =>
      outcome.republish === 0
        ? `${service} relay: nothing to publish again (checkpoint ${place(outcome.checkpoint)} is already at or before that point)`
        : `${service} relay: ${dryRun ? 'would move' : 'moved'} the checkpoint from ${place(outcome.checkpoint)}` +
          ` back to ${place(outcome.rewoundTo)}; ${outcome.republish} row(s) ${dryRun ? 'would be' : 'will be'} published again` +
          `\noldest outbox row: ${describeRow(outcome.oldestRow)}`,
    );
    return 0;
  } finally {
    await orm.close(true);
  }
}

function place(value: { transactionId: string; position: number }): string {
  return `${value.transactionId}:${value.position}`;
}

function describeRow(row: { transactionId: string; position: number; createdAt: string } | null): string {
  return row ? `${place(row)} created ${row.createdAt}` : '(outbox empty)';
}

if (isEntry(module)) void runCommand(RELAY_USAGE, () => relayMain(process.argv.slice(2)));
