import { parseArgs } from 'node:util';
import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { ConfigError, DatabaseJobConfig, loadConfig } from '@scriptripper/config';
import { EventStore, type Projection } from '@scriptripper/event-store';

/** What a service's events rebuild: its projections and the tables only they write. */
export interface ReadModels {
  /** The projections the service applies in its appends, in the same order. */
  readonly projections: readonly Projection[];
  /**
   * The tables these projections alone write, in an order they can be emptied (tables that
   * reference others first). Never tables written outside the projections (idempotency keys,
   * per-user keys): those are not in the events and would be lost.
   */
  readonly tables: readonly string[];
}

export interface TableRebuild {
  readonly table: string;
  readonly rowsBefore: number;
  readonly rowsAfter: number;
  /** Rows that differ between the old and the rebuilt table (missing, extra or changed). */
  readonly rowsChanged: number;
}

export interface ReadModelRebuildReport {
  readonly events: number;
  readonly tables: readonly TableRebuild[];
  /** A dry run rebuilds, compares and rolls back: it shows drift and changes nothing. */
  readonly dryRun: boolean;
}

class DryRunRollback extends Error {
  constructor(readonly report: ReadModelRebuildReport) {
    super('dry run');
  }
}

/**
 * Empties the read-model tables and replays the service's events through its projections, in
 * one transaction, comparing the rebuilt tables with the old ones.
 *
 * Concurrent writers: the event table is locked in SHARE mode for the whole transaction, so
 * the service's appends (and the inbox handlers that append) wait until the rebuild commits
 * instead of changing the model behind the replay's back; readers keep seeing the old rows
 * (emptied with DELETE, not TRUNCATE, whose lock would block readers too) until the commit.
 * The relay is not affected (it reads the outbox). Run it when a pause of the service's writes
 * for the rebuild's duration is acceptable, or with the service scaled to zero.
 */
export async function rebuildReadModels(
  em: EntityManager,
  readModels: ReadModels,
  options: { readonly dryRun?: boolean } = {},
): Promise<ReadModelRebuildReport> {
  const schema = em.config.get('schema') ?? 'public';
  const qualified = (table: string) => `${quote(schema)}.${quote(table)}`;
  try {
    return await em.fork().transactional(async (tx) => {
      await tx.execute(`lock table ${qualified('events')} in share mode`);
      const rowsBefore: number[] = [];
      for (const [index, table] of readModels.tables.entries()) {
        await tx.execute(
          `create temp table ${snapshot(index)} on commit drop as select * from ${qualified(table)}`,
        );
        rowsBefore.push(await countRows(tx, snapshot(index)));
      }
      const { events } = await new EventStore(tx).rebuildProjections(readModels.projections, {
        truncate: async (inner) => {
          for (const table of readModels.tables) await inner.execute(`delete from ${qualified(table)}`);
        },
      });
      const tables: TableRebuild[] = [];
      for (const [index, table] of readModels.tables.entries()) {
        const [changed] = await tx.execute<{ rows: string }[]>(
          `select count(*) as rows from (
             (select * from ${qualified(table)} except all select * from ${snapshot(index)})
             union all
             (select * from ${snapshot(index)} except all select * from ${qualified(table)})) as difference`,
        );
        tables.push({
          table,
          rowsBefore: rowsBefore[index] ?? 0,
          rowsAfter: await countRows(tx, qualified(table)),
          rowsChanged: Number(changed?.rows ?? 0),
        });
      }
      const report = { events, tables, dryRun: options.dryRun === true };
      if (options.dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    throw error;
  }
}

export interface ReadModelRebuildJob {
  readonly service: string;
  /** The app's MikroORM options (the same as the service's). */
  readonly ormOptions: (config: DatabaseJobConfig) => Options;
  /** The service's read models; may read settings it needs (a key-encryption key) from `env`. */
  readonly readModels: (env: NodeJS.ProcessEnv) => ReadModels;
}

const USAGE = (
  service: string,
) => `Usage: node dist/apps/${service}/src/rebuild-projections.js [--dry-run] [--json]
  (or: npm run ops -- rebuild-projections --service ${service} [--dry-run] [--json])

Empties the ${service} service's read models and replays its events through its projections,
in one transaction; the service's appends wait meanwhile (see docs/runbooks/rebuild-read-models.md).
--dry-run rebuilds, reports the rows that differ, and rolls back. Settings: DATABASE_URL.`;

/**
 * What every data service's `rebuild-projections.ts` does. Exits 0 (a dry run with drift
 * exits 3, so scripts can tell), 2 on a usage error, 1 on any other error.
 */
export async function runReadModelRebuild(
  job: ReadModelRebuildJob,
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  let flags: { dryRun: boolean; json: boolean };
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${USAGE(job.service)}\n`);
      return;
    }
    flags = { dryRun: values['dry-run'] === true, json: values.json === true };
  } catch (error) {
    process.stderr.write(
      `error: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE(job.service)}\n`,
    );
    process.exitCode = 2;
    return;
  }
  let orm: MikroORM | undefined;
  try {
    const config = loadConfig(DatabaseJobConfig, env);
    const readModels = job.readModels(env);
    orm = await MikroORM.init(job.ormOptions(config));
    const report = await rebuildReadModels(orm.em, readModels, { dryRun: flags.dryRun });
    process.stdout.write(
      flags.json
        ? `${JSON.stringify({ service: job.service, ...report }, null, 2)}\n`
        : `${describe(job.service, report)}\n`,
    );
    process.exitCode = flags.dryRun && report.tables.some((table) => table.rowsChanged > 0) ? 3 : 0;
  } catch (error) {
    const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`${job.service} read-model rebuild failed, nothing changed: ${message}\n`);
    process.exitCode = 1;
  } finally {
    await orm?.close(true);
  }
}

function describe(service: string, report: ReadModelRebuildReport): string {
  const verb = report.dryRun ? 'would rebuild (dry run, rolled back)' : 'rebuilt';
  return [
    `${service}: ${verb} ${report.tables.length} table(s) from ${report.events} event(s)`,
    ...report.tables.map(
      (t) => `  ${t.table}: ${t.rowsBefore} row(s) before, ${t.rowsAfter} after, ${t.rowsChanged} differing`,
    ),
  ].join('\n');
}

async function countRows(em: EntityManager, table: string): Promise<number> {
  const [row] = await em.execute<{ rows: string }[]>(`select count(*) as rows from ${table}`);
  return Number(row?.rows ?? 0);
}

function snapshot(index: number): string {
  return `read_model_before_${index}`;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
