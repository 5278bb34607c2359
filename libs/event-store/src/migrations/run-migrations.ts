import { resolve } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { ConfigError, DatabaseJobConfig, loadConfig } from '@scriptripper/config';
import { schemaDriftSql } from '../schema/event-store-orm';
import { writeServiceMigration } from './migration-writer';

export interface MigrationJob {
  readonly service: string;
  /** The app's MikroORM options (`mikroOrmOptions(config)`, built with `serviceOrmOptions`). */
  readonly ormOptions: (config: DatabaseJobConfig) => Options;
  /** The app's migrations source folder, relative to the repository root, for `--create`. */
  readonly sourcePath: string;
}

export type MigrationCommand = 'up' | 'check' | 'create';

/**
 * What every data service's `migrate.ts` does (the Kubernetes migration Job, the dev launcher):
 * - `up` (default): create the service's schema if needed and apply pending migrations;
 * - `check`: change nothing; fail when migrations are pending or when the entities and the
 *   migrated schema disagree (CI runs it after `up` on a fresh database);
 * - `create` (development, from the repository root): `up`, then write a migration with what
 *   the entities need into the app's source folder, to be listed in its `migrations/index.ts`.
 * Exits 0, or 1 with the reason.
 */
export async function runMigrations(
  job: MigrationJob,
  command: MigrationCommand = commandFromArgv(process.argv),
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  let config: DatabaseJobConfig;
  try {
    config = loadConfig(DatabaseJobConfig, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${job.service} migrations: cannot start. ${error.message}`);
    process.exitCode = 1;
    return;
  }
  let orm: MikroORM | undefined;
  try {
    const options = job.ormOptions(config);
    const schema = options.schema;
    if (!schema) throw new Error('the MikroORM options name no schema');
    orm = await MikroORM.init(options);
    const report =
      command === 'check'
        ? await check(orm)
        : command === 'create'
          ? await create(orm, schema, resolve(job.sourcePath))
          : await migrateUp(orm, schema, config.DATABASE_URL);
    process.stdout.write(`${job.service} migrations: ${report}\n`);
  } catch (error) {
    console.error(
      `${job.service} migrations failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  } finally {
    await orm?.close(true);
  }
}

/**
 * Applies pending migrations while holding a session-level advisory lock named after the
 * schema, on a connection of its own: several replicas starting at once (Kubernetes init
 * containers, compose) take turns, and the later ones find nothing left to apply instead of
 * racing on `create schema` and the same migration.
 */
export async function migrateUp(orm: MikroORM, schema: string, databaseUrl: string): Promise<string> {
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [`scriptripper:migrations:${schema}`]);
    return await up(orm, schema);
  } finally {
    // Ending the session releases the lock, also when a migration failed.
    await lock.end();
  }
}

async function up(orm: MikroORM, schema: string): Promise<string> {
  await orm.em.getConnection().execute(`create schema if not exists "${schema.replace(/"/g, '""')}"`);
  const applied = await orm.getMigrator().up();
  const names = applied.map((migration) => migration.name).join(', ');
  return `schema "${schema}" is up to date (${names ? `applied ${names}` : 'nothing to apply'})`;
}

async function check(orm: MikroORM): Promise<string> {
  const pending = await orm.getMigrator().getPendingMigrations();
  if (pending.length > 0) {
    throw new Error(`pending migrations: ${pending.map((migration) => migration.name).join(', ')}`);
  }
  const drift = await schemaDriftSql(orm);
  if (drift) {
    throw new Error(`the entities and the migrations disagree; a new migration needs:\n${drift}`);
  }
  return 'no pending migrations, and the schema matches the entities';
}

async function create(orm: MikroORM, schema: string, sourcePath: string): Promise<string> {
  await up(orm, schema);
  const written = await writeServiceMigration(orm, sourcePath);
  if (!written) return 'nothing to create: the migrations already match the entities';
  return `created ${written.file}; list ${written.className} in that folder's index.ts`;
}

function commandFromArgv(argv: readonly string[]): MigrationCommand {
  if (argv.includes('--check')) return 'check';
  if (argv.includes('--create')) return 'create';
  return 'up';
}
