import { MikroORM, type Options } from '@mikro-orm/core';
import { ConfigError, DatabaseJobConfig, loadConfig } from '@scriptripper/config';

export interface MigrationJob {
  readonly service: string;
  /**
   * The app's MikroORM options (`mikroOrmOptions(config)`): they name the service's schema
   * and include the `Migrator` extension.
   */
  readonly ormOptions: (config: DatabaseJobConfig) => Options;
}

/**
 * What every `migrate.ts` does (the Kubernetes migration Job, the dev launcher): create the
 * service's schema if needed, apply pending migrations, exit 0, or exit 1 with the reason.
 */
export async function runMigrations(job: MigrationJob, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: DatabaseJobConfig;
  try {
    config = loadConfig(DatabaseJobConfig, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${job.service} migrations: cannot start. ${error.message}`);
    process.exit(1);
  }
  let orm: MikroORM | undefined;
  try {
    const options = job.ormOptions(config);
    const schema = options.schema;
    if (!schema) throw new Error('the MikroORM options name no schema');
    orm = await MikroORM.init(options);
    await orm.em.getConnection().execute(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await orm.getMigrator().up();
    const names = applied.map((migration) => migration.name).join(', ');
    process.stdout.write(
      `${job.service} migrations: schema "${schema}" is up to date (${names ? `applied ${names}` : 'nothing to apply'})\n`,
    );
  } catch (error) {
    console.error(
      `${job.service} migrations failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  } finally {
    await orm?.close(true);
  }
}
