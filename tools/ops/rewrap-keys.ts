// `node dist/tools/ops/rewrap-keys.js --service S [--dry-run]`: rotates a service's
// key-encryption key. Re-seals, with NEW_KEY_ENCRYPTION_KEY, what OLD_KEY_ENCRYPTION_KEY sealed
// in the service's schema: the per-user data keys (`user_keys`) and, in auth, the access-token
// signing keys' private keys (`signing_keys`). One transaction; safe to run again.
import { Client } from 'pg';
import { open, parseKeyEncryptionKey, seal } from '@scriptripper/privacy';
import { isEntry, opsSettings, parseCommandLine, report, runCommand, UsageError } from './ops-cli';
import { DATA_SERVICES } from './relay';

export const REWRAP_USAGE = `Usage: node dist/tools/ops/rewrap-keys.js --service S [--dry-run] [--json]
  (or: npm run ops -- rewrap-keys --service S ...)

Re-seals service S's keys from the old key-encryption key to the new one, in one transaction:
user_keys (auth, jobs) and signing_keys' private keys (auth). Boxes already sealed with the new
key are left alone, so a second run is harmless; a box neither key opens stops the run and
changes nothing. Run it with the service stopped, then start it with the new key
(AUTH_KEY_ENCRYPTION_KEY or JOBS_KEY_ENCRYPTION_KEY); see docs/runbooks/rotate-secrets.md.
Options: --service auth|profiles|jobs|artifacts (required), --dry-run, --json, --help.
Settings: DATABASE_URL, OLD_KEY_ENCRYPTION_KEY, NEW_KEY_ENCRYPTION_KEY (base64 of 32 bytes each).`;

export interface RewrapReport {
  readonly service: string;
  readonly tables: { table: string; rewrapped: number; alreadyNew: number }[];
  readonly dryRun: boolean;
}

/** The sealed columns of a schema: table, key column, sealed column, and how the box is stored. */
const SEALED = [
  { table: 'user_keys', id: 'user_id', box: 'wrapped_key', encoding: 'bytea' },
  { table: 'signing_keys', id: 'kid', box: 'private_key', encoding: 'base64' },
] as const;

export async function rewrapKeys(
  client: Client,
  schema: string,
  keys: { readonly old: Buffer; readonly new: Buffer },
  dryRun: boolean,
): Promise<RewrapReport> {
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  await client.query('begin');
  try {
    const tables: RewrapReport['tables'] = [];
    for (const sealed of SEALED) {
      const [exists] = (
        await client.query('select to_regclass($1) as found', [`${quoted(schema)}.${sealed.table}`])
      ).rows as { found: string | null }[];
      if (!exists?.found) continue;
      const table = `${quoted(schema)}.${quoted(sealed.table)}`;
      const { rows } = await client.query<{ id: string; box: Buffer | string }>(
        `select ${sealed.id}::text as id, ${sealed.box} as box from ${table} for update`,
      );
      let rewrapped = 0;
      let alreadyNew = 0;
      for (const row of rows) {
        const box = typeof row.box === 'string' ? Buffer.from(row.box, 'base64') : row.box;
        const plain = tryOpen(keys.old, box, row.id);
        if (!plain) {
          if (tryOpen(keys.new, box, row.id)) {
            alreadyNew++;
            continue;
          }
          throw new Error(
            `${sealed.table} ${row.id}: sealed with neither the old nor the new key; nothing changed`,
          );
        }
        const resealed = seal(keys.new, plain, row.id);
        await client.query(`update ${table} set ${sealed.box} = $1 where ${sealed.id}::text = $2`, [
          sealed.encoding === 'base64' ? resealed.toString('base64') : resealed,
          row.id,
        ]);
        rewrapped++;
      }
      tables.push({ table: sealed.table, rewrapped, alreadyNew });
    }
    await client.query(dryRun ? 'rollback' : 'commit');
    return { service: schema, tables, dryRun };
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

function tryOpen(key: Buffer, box: Buffer, context: string): Buffer | null {
  try {
    return open(key, box, context);
  } catch {
    return null;
  }
}

export async function rewrapMain(
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
    process.stdout.write(`${REWRAP_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const service = values.service;
  if (!service || !(DATA_SERVICES as readonly string[]).includes(service)) {
    throw new UsageError(`--service must be one of ${DATA_SERVICES.join(', ')}`);
  }
  const { databaseUrl } = opsSettings(['databaseUrl'], env);
  const keys = { old: keyFrom(env, 'OLD_KEY_ENCRYPTION_KEY'), new: keyFrom(env, 'NEW_KEY_ENCRYPTION_KEY') };
  if (keys.old.equals(keys.new)) throw new UsageError('the old and the new key are the same');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const dryRun = values['dry-run'] === true;
    const outcome = await rewrapKeys(client, service, keys, dryRun);
    report(values.json === true, outcome, () =>
      outcome.tables.length === 0
        ? `${service}: no sealed keys in this schema`
        : outcome.tables
            .map(
              (t) =>
                `${service}.${t.table}: ${dryRun ? 'would re-seal' : 're-sealed'} ${t.rewrapped}, already on the new key ${t.alreadyNew}`,
            )
            .join('\n'),
    );
    return 0;
  } finally {
    await client.end();
  }
}

function keyFrom(env: NodeJS.ProcessEnv, name: string): Buffer {
  const text = env[name];
  if (!text) throw new UsageError(`${name} is not set`);
  try {
    return parseKeyEncryptionKey(text);
  } catch {
    throw new UsageError(`${name} must be base64 of exactly 32 bytes`);
  }
}

if (isEntry(module)) void runCommand(REWRAP_USAGE, () => rewrapMain(process.argv.slice(2)));
