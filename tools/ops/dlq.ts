// `node dist/tools/ops/dlq.js <list|replay|purge> ...`: inspect, replay and purge the
// dead-letter streams (`dlq:<stream>`), where the Streams transport puts what failed its retries.
import Redis from 'ioredis';
import { DeadLetters, type DeadLetter } from '@scriptripper/streams';
import {
  isEntry,
  opsSettings,
  parseCommandLine,
  parseMoment,
  positiveInteger,
  report,
  runCommand,
  UsageError,
} from './ops-cli';

export const DLQ_USAGE = `Usage: node dist/tools/ops/dlq.js <command> [options]   (or: npm run ops -- dlq <command> ...)

Commands:
  list                     dead-letter streams with their counts and entries
    --stream S             only dlq:S (S is the original stream, e.g. work:analysis)
    --type T               only entries whose message type is T (e.g. AnalyzeTranscript)
    --limit N              entries shown per stream (default 20)
  replay                   put entries back on their original stream, then remove them from the DLQ
    --stream S --id ID     one entry (ID as shown by list)
    --stream S | --type T  every entry of that stream and/or type
    --all                  every entry of every dead-letter stream
    --dry-run              say what would be replayed, change nothing
  purge                    delete entries without replaying them
    --stream S --id ID     one entry
    --stream S | --all     (with --older-than) the entries of one / every dead-letter stream
    --older-than AGE       only entries dead-lettered before AGE (7d, 12h, 30m, or an ISO time)
    --dry-run              say what would be deleted, change nothing

Options: --json (machine-readable output), --help.
Settings: REDIS_URL, REDIS_KEY_PREFIX (default sr:).
A replayed message reaches every consumer group of its stream again: consumers drop what they
already handled (inbox dedupe); an RPC request past its deadline is dropped unhandled.`;

/** One dead letter as operators see it: where it came from, why it failed, what it was. */
export interface DeadLetterView {
  readonly deadLetterId: string;
  readonly stream: string;
  readonly group: string;
  readonly messageId: string;
  readonly consumer: string;
  readonly attempts: number;
  readonly reason: string;
  readonly error: DeadLetter['error'];
  readonly failedAt: string;
  /** The envelope's type and correlation id; null when the payload is missing or not an envelope. */
  readonly type: string | null;
  readonly correlationId: string | null;
}

export interface DeadLetterFilter {
  readonly stream?: string;
  readonly type?: string;
}

export interface DlqListing {
  readonly streams: { stream: string; count: number; entries: DeadLetterView[] }[];
}

export interface ReplayOutcome {
  readonly replayed: (DeadLetterView & { readonly newId: string | null })[];
  readonly skipped: (DeadLetterView & { readonly why: string })[];
  readonly dryRun: boolean;
}

export interface PurgeOutcome {
  readonly removed: { stream: string; count: number }[];
  readonly dryRun: boolean;
}

const PAGE = 500;

export function viewOf(letter: DeadLetter): DeadLetterView {
  const envelope = envelopeOf(letter);
  return {
    deadLetterId: letter.deadLetterId,
    stream: letter.stream,
    group: letter.group,
    messageId: letter.messageId,
    consumer: letter.consumer,
    attempts: letter.attempts,
    reason: letter.reason,
    error: letter.error,
    failedAt: letter.failedAt,
    type: typeof envelope?.['type'] === 'string' ? envelope['type'] : null,
    correlationId: typeof envelope?.['correlationId'] === 'string' ? envelope['correlationId'] : null,
  };
}

function envelopeOf(letter: DeadLetter): Record<string, unknown> | null {
  const raw = letter.fields?.['envelope'];
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Every dead letter of the streams the filter selects, oldest first, page by page. */
async function* deadLettersOf(
  deadLetters: DeadLetters,
  filter: DeadLetterFilter,
): AsyncGenerator<{ stream: string; letter: DeadLetter }> {
  for (const { stream } of await selectedStreams(deadLetters, filter.stream)) {
    let after: string | undefined;
    for (;;) {
      const page = await deadLetters.list(stream, PAGE, after);
      for (const letter of page) {
        if (filter.type === undefined || viewOf(letter).type === filter.type) yield { stream, letter };
      }
      if (page.length < PAGE) break;
      after = page.at(-1)?.deadLetterId;
    }
  }
}

async function selectedStreams(deadLetters: DeadLetters, stream: string | undefined) {
  const all = await deadLetters.streams();
  return stream === undefined ? all : all.filter((entry) => entry.stream === stream);
}

export async function listDeadLetters(
  deadLetters: DeadLetters,
  filter: DeadLetterFilter,
  limit = 20,
): Promise<DlqListing> {
  const streams: DlqListing['streams'] = [];
  for (const { stream, count } of await selectedStreams(deadLetters, filter.stream)) {
    const entries: DeadLetterView[] = [];
    for await (const { letter } of deadLettersOf(deadLetters, { ...filter, stream })) {
      if (entries.length >= limit) break;
      entries.push(viewOf(letter));
    }
    streams.push({ stream, count, entries });
  }
  return { streams };
}

export type ReplaySelection =
  | { readonly kind: 'one'; readonly stream: string; readonly id: string }
  | { readonly kind: 'filter'; readonly filter: DeadLetterFilter };

/**
 * Replays the selected dead letters one by one: each is re-added to its stream and removed
 * from the DLQ only after the re-add succeeded (one atomic script per entry). Entries without
 * a payload are skipped and stay in the DLQ, with the reason.
 */
export async function replayDeadLetters(
  deadLetters: DeadLetters,
  selection: ReplaySelection,
  dryRun: boolean,
): Promise<ReplayOutcome> {
  const chosen: { stream: string; letter: DeadLetter }[] = [];
  if (selection.kind === 'one') {
    const [letter] = await deadLetters.list(selection.stream, 1, previousId(selection.id));
    if (!letter || letter.deadLetterId !== selection.id) {
      throw new Error(`no dead letter ${selection.id} in dlq:${selection.stream}`);
    }
    chosen.push({ stream: selection.stream, letter });
  } else {
    // Collected first, so a message that fails again during this run is not replayed twice.
    for await (const entry of deadLettersOf(deadLetters, selection.filter)) chosen.push(entry);
  }
  const outcome: ReplayOutcome = { replayed: [], skipped: [], dryRun };
  for (const { stream, letter } of chosen) {
    const view = viewOf(letter);
    if (!letter.fields) {
      outcome.skipped.push({ ...view, why: `no payload to replay (${letter.reason})` });
      continue;
    }
    if (dryRun) {
      outcome.replayed.push({ ...view, newId: null });
      continue;
    }
    try {
      outcome.replayed.push({ ...view, newId: await deadLetters.replay(stream, letter.deadLetterId) });
    } catch (error) {
      outcome.skipped.push({ ...view, why: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcome;
}

export type PurgeSelection =
  | { readonly kind: 'one'; readonly stream: string; readonly id: string }
  | { readonly kind: 'older'; readonly stream?: string; readonly before: Date };

export async function purgeDeadLetters(
  deadLetters: DeadLetters,
  selection: PurgeSelection,
  dryRun: boolean,
): Promise<PurgeOutcome> {
  if (selection.kind === 'one') {
    const [letter] = await deadLetters.list(selection.stream, 1, previousId(selection.id));
    if (letter?.deadLetterId !== selection.id) {
      throw new Error(`no dead letter ${selection.id} in dlq:${selection.stream}`);
    }
    const count = dryRun ? 1 : await deadLetters.remove(selection.stream, [selection.id]);
    return { removed: [{ stream: selection.stream, count }], dryRun };
  }
  const removed: PurgeOutcome['removed'] = [];
  for (const { stream } of await selectedStreams(deadLetters, selection.stream)) {
    let count = 0;
    if (dryRun) {
      for await (const { letter } of deadLettersOf(deadLetters, { stream })) {
        if (idTime(letter.deadLetterId) < selection.before.getTime()) count++;
      }
    } else {
      count = await deadLetters.trimBefore(stream, selection.before);
    }
    removed.push({ stream, count });
  }
  return { removed, dryRun };
}

/** The id just before `id`, so an exclusive range from it starts at `id`. */
function previousId(id: string): string | undefined {
  const match = /^(\d+)-(\d+)$/.exec(id);
  if (!match) throw new UsageError(`"${id}" is not a stream entry id (like 1700000000000-0)`);
  const [ms, seq] = [BigInt(match[1] as string), BigInt(match[2] as string)];
  if (seq > 0n) return `${ms}-${seq - 1n}`;
  return ms > 0n ? `${ms - 1n}-18446744073709551615` : undefined;
}

function idTime(id: string): number {
  return Number(id.split('-')[0]);
}

function describeLetter(view: DeadLetterView): string {
  const error = view.error ? `${view.error.code}: ${view.error.message}` : view.reason;
  return (
    `  ${view.deadLetterId}  ${view.type ?? '(no envelope)'}  group=${view.group} attempts=${view.attempts}` +
    ` correlation=${view.correlationId ?? '-'} failed=${view.failedAt}\n    ${error}`
  );
}

const OPTIONS = {
  stream: { type: 'string' },
  type: { type: 'string' },
  id: { type: 'string' },
  all: { type: 'boolean' },
  'older-than': { type: 'string' },
  limit: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** The command line's work against a DeadLetters of the configured Redis; returns the exit code. */
export async function dlqMain(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS);
  const command = positionals[0];
  if (values.help) {
    process.stdout.write(`${DLQ_USAGE}\n`);
    return 0;
  }
  if (!command || !['list', 'replay', 'purge'].includes(command) || positionals.length > 1) {
    throw new UsageError(command ? `unknown command "${positionals.join(' ')}"` : 'no command given');
  }
  const { redisUrl, keyPrefix } = opsSettings(['redisUrl', 'keyPrefix'], env);
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectionName: 'ops-dlq',
  });
  await redis.connect();
  try {
    const deadLetters = new DeadLetters(redis, keyPrefix);
    const json = values.json === true;
    const dryRun = values['dry-run'] === true;
    if (command === 'list') {
      const listing = await listDeadLetters(
        deadLetters,
        { stream: values.stream, type: values.type },
        positiveInteger(values.limit, '--limit', 20),
      );
      report(json, listing, () =>
        listing.streams.length === 0
          ? 'No dead letters.'
          : listing.streams
              .map(
                (entry) =>
                  `dlq:${entry.stream}: ${entry.count} entr${entry.count === 1 ? 'y' : 'ies'}` +
                  (entry.entries.length ? `\n${entry.entries.map(describeLetter).join('\n')}` : ''),
              )
              .join('\n'),
      );
      return 0;
    }
    if (command === 'replay') {
      const selection = replaySelection(values);
      const outcome = await replayDeadLetters(deadLetters, selection, dryRun);
      report(json, outcome, () =>
        [
          `${dryRun ? 'Would replay' : 'Replayed'} ${outcome.replayed.length} dead letter(s).`,
          ...outcome.replayed.map(
            (v) => `  ${v.stream} ${v.deadLetterId} -> ${v.newId ?? '(dry run)'} ${v.type ?? ''}`,
          ),
          ...outcome.skipped.map((v) => `  skipped ${v.stream} ${v.deadLetterId}: ${v.why}`),
        ].join('\n'),
      );
      return outcome.skipped.length > 0 ? 1 : 0;
    }
    const outcome = await purgeDeadLetters(deadLetters, purgeSelection(values), dryRun);
    report(
      json,
      outcome,
      () =>
        outcome.removed
          .map((entry) => `dlq:${entry.stream}: ${dryRun ? 'would delete' : 'deleted'} ${entry.count}`)
          .join('\n') || 'No dead-letter streams matched.',
    );
    return 0;
  } finally {
    redis.disconnect();
  }
}

type Values = ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'];

function replaySelection(values: Values): ReplaySelection {
  if (values.id !== undefined) {
    if (!values.stream) throw new UsageError('--id needs --stream');
    if (values.type || values.all) throw new UsageError('--id replays one entry: drop --type and --all');
    previousId(values.id);
    return { kind: 'one', stream: values.stream, id: values.id };
  }
  if (!values.all && !values.stream && !values.type) {
    throw new UsageError('say what to replay: --stream S --id ID, --stream S, --type T, or --all');
  }
  if (values.all && (values.stream || values.type))
    throw new UsageError('--all replays everything: drop --stream and --type');
  return { kind: 'filter', filter: { stream: values.stream, type: values.type } };
}

function purgeSelection(values: Values): PurgeSelection {
  if (values.id !== undefined) {
    if (!values.stream) throw new UsageError('--id needs --stream');
    previousId(values.id);
    return { kind: 'one', stream: values.stream, id: values.id };
  }
  if (!values['older-than']) throw new UsageError('purge needs --id, or --older-than with --stream or --all');
  if (!values.all && !values.stream) throw new UsageError('say which DLQ to purge: --stream S or --all');
  if (values.all && values.stream) throw new UsageError('--all purges every DLQ: drop --stream');
  return { kind: 'older', stream: values.stream, before: parseMoment(values['older-than']) };
}

if (isEntry(module)) void runCommand(DLQ_USAGE, () => dlqMain(process.argv.slice(2)));
