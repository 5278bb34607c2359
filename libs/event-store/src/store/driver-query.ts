import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/** The part of a node-postgres client this module uses. */
interface PgQueryable {
  query(config: DriverStatement): Promise<{ rows: unknown[] }>;
}

export interface DriverStatement {
  /** Set for a statement run often: node-postgres prepares it once per connection under this name. */
  readonly name?: string;
  /** SQL with `$1`, `$2`, ... placeholders. */
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * Runs one parameterised statement on node-postgres directly: on the
 * EntityManager's transaction connection when it has one, otherwise on a connection of its pool
 * (autocommit). MikroORM's and knex's query layers add about 0.1 ms of CPU per statement (as
 * much as a short round trip on this kind of host), which shows at thousands of appends a
 * second; the hot path skips them. The connection is knex's own, so transactions and pool
 * limits stay MikroORM's. Not logged by MikroORM's `debug`; errors are node-postgres's own.
 */
export async function queryOnDriver<Row>(em: EntityManager, statement: DriverStatement): Promise<Row[]> {
  // A knex transaction's client hands out the transaction's connection and never releases it.
  const { client } = em.getTransactionContext<Knex.Transaction>() ?? em.getConnection().getKnex();
  const connection = (await client.acquireConnection()) as PgQueryable;
  try {
    return (await connection.query(statement)).rows as Row[];
  } finally {
    await client.releaseConnection(connection);
  }
}
