import type { EntityManager } from '@mikro-orm/postgresql';
import { quoteIdentifier } from './event-table-guards.sql';

/**
 * Schema-qualified table names for the store's hand-written SQL. The entities carry no schema:
 * each service's MikroORM config sets `schema`, and these names follow it.
 */
export interface EventStoreTables {
  readonly schema: string;
  readonly events: string;
  readonly outbox: string;
  readonly outboxCheckpoint: string;
  readonly inbox: string;
}

export function eventStoreTables(em: EntityManager): EventStoreTables {
  const schema = em.config.get('schema') ?? 'public';
  const table = (name: string) => `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
  return {
    schema,
    events: table('events'),
    outbox: table('outbox'),
    outboxCheckpoint: table('outbox_checkpoint'),
    inbox: table('inbox'),
  };
}
