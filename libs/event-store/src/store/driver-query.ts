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
 * (autocommit). MikroORM's and knex's query layers cost about as much CPU per statement as the
 * statement's own round trip, which shows at thousands of appends a second; the hot path skips
 * them. The connection is knex's own, so transactions and pool limits stay MikroORM's.
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
