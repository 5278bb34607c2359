import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { eventStoreEntities } from './event-store.entities';
import { eventTableGuardsSql } from './event-table-guards.sql';

export interface EventStoreOrmOptions {
  readonly clientUrl: string;
  /** The service's Postgres schema (`auth`, `profiles`, `jobs`, `artifacts`). */
  readonly schema: string;
  /** The service's own entities (read models), beside the store's. */
  readonly entities?: Options['entities'];
  readonly migrationsPath?: string;
  readonly debug?: boolean;
}

/** A MikroORM instance for one service's schema with the store's entities registered. */
export function createEventStoreOrm(options: EventStoreOrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    driver: PostgreSqlDriver,
    clientUrl: options.clientUrl,
    schema: options.schema,
    entities: [...eventStoreEntities, ...(options.entities ?? [])],
    debug: options.debug ?? false,
    allowGlobalContext: false,
    ...(options.migrationsPath
      ? {
          extensions: [Migrator],
          migrations: { path: options.migrationsPath, tableName: 'mikro_orm_migrations' },
        }
      : {}),
  });
}

/**
 * Creates the schema from the entities plus the append-only guards. For tests and throwaway
 * databases; services run their committed migrations instead.
 */
export async function createEventStoreSchema(orm: MikroORM): Promise<void> {
  await orm.schema.createSchema();
  const schema = orm.config.get('schema') ?? 'public';
  const connection = orm.em.getConnection();
  for (const sql of eventTableGuardsSql(schema)) await connection.execute(sql);
}

/**
 * The SQL MikroORM would run to bring the service's schema in line with the entities: empty
 * when the migrations and the entities agree. CI fails on a non-empty answer. Limited to the
 * service's own schema: every service shares the database, and without the limit MikroORM
 * proposes dropping the other services' tables.
 */
export async function schemaDriftSql(orm: MikroORM): Promise<string> {
  const schema = orm.config.get('schema') ?? 'public';
  return (await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true, schema })).trim();
}
