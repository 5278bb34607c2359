// Shared plumbing of the operators' commands under tools/ops: settings from the environment,
// argument parsing with a usage text, `--json` or text output, exit codes.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Wrong or missing arguments: the command prints its usage and exits 2. */
export class UsageError extends Error {}

export interface OpsSettings {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly databaseUrl: string;
}

/** REDIS_URL, REDIS_KEY_PREFIX (`sr:`) and DATABASE_URL; each command asks only for what it uses. */
export function opsSettings<K extends keyof OpsSettings>(
  needed: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Pick<OpsSettings, K> {
  const all: Record<keyof OpsSettings, string | undefined> = {
    redisUrl: env['REDIS_URL'],
    keyPrefix: env['REDIS_KEY_PREFIX'] || 'sr:',
    databaseUrl: env['DATABASE_URL'],
  };
  const names: Record<keyof OpsSettings, string> = {
    redisUrl: 'REDIS_URL',
    keyPrefix: 'REDIS_KEY_PREFIX',
    databaseUrl: 'DATABASE_URL',
  };
  const missing = needed.filter((key) => !all[key]).map((key) => names[key]);
  if (missing.length > 0) throw new UsageError(`missing setting(s): ${missing.join(', ')}`);
  return Object.fromEntries(needed.map((key) => [key, all[key]])) as Pick<OpsSettings, K>;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** `node:util` parseArgs, strict, with unknown options and bad values as UsageErrors. */
export function parseCommandLine<O extends OptionSpec>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** `7d`, `12h`, `30m`, `45s` or an ISO-8601 time: the moment that far back from `now`, or that time. */
export function parseMoment(text: string, now = new Date()): Date {
  const relative = /^(\d+)([smhd])$/.exec(text.trim());
  if (relative) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  const time = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time)) {
    throw new UsageError(`"${text}" is neither a duration (7d, 12h, 30m, 45s) nor an ISO-8601 time`);
  }
  return new Date(time);
}

export function positiveInteger(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${name} must be a positive integer`);
  return value;
}

/** Writes the result as JSON (`--json`) or as the command's text. */
export function report(json: boolean, result: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${text()}\n`);
}

/**
 * Runs a command's main: exit 0 on success, 2 with the usage on a UsageError, 1 with the
 * message on any other error (never a stack for an operator's mistake).
 */
export async function runCommand(usage: string, main: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${usage}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

/** True when the file is the process's entry (`node dist/tools/ops/<name>.js`), not imported. */
export function isEntry(module: NodeJS.Module): boolean {
  return require.main === module;
}
