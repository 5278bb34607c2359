import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventStoreTables } from '../schema/event-store-tables';
import type { Projection } from './event-store.types';
import { EVENT_COLUMNS, queryEvents } from './stored-event-rows';

export interface RebuildOptions {
  /** Empties the projections' tables (inside the rebuild's transaction). */
  readonly truncate: (em: EntityManager) => Promise<void>;
  /** Events read and applied per round trip (default 500). */
  readonly batchSize?: number;
}

/**
 * Replays the whole event table, in global order, into an emptied read model, in one
 * transaction: readers see the old model until the new one is complete. The event table is
 * locked in SHARE mode for the duration, so appends wait instead of updating the model
 * behind the replay's back (a rebuild is an operator's action; normal appends take no such lock).
 */
export function rebuildProjection(
  em: EntityManager,
  tables: EventStoreTables,
  projection: Projection,
  options: RebuildOptions,
): Promise<{ events: number }> {
  return rebuildProjections(em, tables, [projection], options);
}

/**
 * The same for several projections at once (a service's whole read model): each event, in
 * global order, goes through every projection that handles it, in the order given, exactly as
 * an append applies them, so projections that share tables rebuild consistently.
 */
export async function rebuildProjections(
  em: EntityManager,
  tables: EventStoreTables,
  projections: readonly Projection[],
  options: RebuildOptions,
): Promise<{ events: number }> {
  const types = [...new Set(projections.flatMap((projection) => projection.handles))];
  if (types.length === 0)
    throw new Error(
      `Projections ${projections.map((p) => p.name).join(', ') || '(none)'} handle no event types`,
    );
  const batchSize = options.batchSize ?? 500;
  return em.transactional(async (tx) => {
    await tx.execute(`lock table ${tables.events} in share mode`);
    await options.truncate(tx);
    let after = 0;
    let applied = 0;
    for (;;) {
      const batch = await queryEvents(
        tx,
        `select ${EVENT_COLUMNS} from ${tables.events}
         where global_position > ? and type in (?) order by global_position limit ?`,
        [after, types, batchSize],
      );
      for (const event of batch) {
        for (const projection of projections) {
          if (projection.handles.includes(event.type)) await projection.apply(tx, event);
        }
      }
      applied += batch.length;
      // Flush what the batch persisted so the next batch sees it, and keep the identity map small.
      await tx.flush();
      tx.clear();
      const last = batch.at(-1);
      if (!last || batch.length < batchSize) return { events: applied };
      after = last.globalPosition;
    }
  });
}
