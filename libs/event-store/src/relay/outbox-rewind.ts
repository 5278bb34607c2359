import type { EntityManager } from '@mikro-orm/postgresql';
import { eventStoreTables } from '../schema/event-store-tables';
import { relayTurnKey } from './relay-turn';

/** A place in the relay's order: transaction id (xid8, as text), then position. */
export interface OutboxPlace {
  readonly transactionId: string;
  readonly position: number;
}

/** Where to publish again from: the first outbox row created at or after a time, or a row's own place. */
export type RewindTarget = { readonly since: Date } | { readonly from: OutboxPlace };

export interface RewindRequest {
  /** The relay's checkpoint name: the service's name. */
  readonly name: string;
  readonly target: RewindTarget;
  /** Report what would happen and change nothing. */
  readonly dryRun?: boolean;
}

export interface OutboxRowSummary extends OutboxPlace {
  readonly createdAt: string;
}

export interface RewindReport {
  readonly name: string;
  /** The checkpoint before the rewind. */
  readonly checkpoint: OutboxPlace;
  /** The checkpoint after it (or, in a dry run, where it would go); the same when nothing is to publish again. */
  readonly rewoundTo: OutboxPlace;
  /** Rows the relay will publish again (those between the new and the old checkpoint). */
  readonly republish: number;
  /** The oldest row still in the outbox: nothing older can be republished (pruned). */
  readonly oldestRow: OutboxRowSummary | null;
  readonly applied: boolean;
}

export interface RelayStatus {
  readonly name: string;
  readonly checkpoint: OutboxPlace & { readonly epoch: string | null; readonly updatedAt: string };
  /** Committed rows after the checkpoint, not yet published. */
  readonly unpublished: number;
  readonly oldestRow: OutboxRowSummary | null;
  readonly newestRow: OutboxRowSummary | null;
}

/**
 * Moves a relay's checkpoint back so it publishes the outbox again from a time or a row on
 * (consumers' inboxes drop what they already handled). Never moves it forward: skipping rows
 * would lose messages. Waits for the relay's turn (its advisory lock), so a run in flight
 * finishes first and the next run starts from the rewound place.
 */
export async function rewindOutboxRelay(em: EntityManager, request: RewindRequest): Promise<RewindReport> {
  const tables = eventStoreTables(em);
  return em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
      relayTurnKey(tables.schema, request.name),
    ]);
    const [stored] = await tx.execute<{ transaction_id: string; position: string }[]>(
      `select last_transaction_id::text as transaction_id, last_position as position
       from ${tables.outboxCheckpoint} where name = ? for update`,
      [request.name],
    );
    if (!stored) throw new Error(`The outbox relay "${request.name}" has no checkpoint in ${tables.schema}`);
    const checkpoint = { transactionId: stored.transaction_id, position: Number(stored.position) };
    const target = await targetPlace(tx, tables.outbox, request.target);
    const rewoundTo = target && isBefore(target, checkpoint) ? target : checkpoint;
    const [counted] = await tx.execute<{ rows: string }[]>(
      `select count(*) as rows from ${tables.outbox}
       where (transaction_id, position) > (?::xid8, ?) and (transaction_id, position) <= (?::xid8, ?)`,
      [rewoundTo.transactionId, rewoundTo.position, checkpoint.transactionId, checkpoint.position],
    );
    const republish = Number(counted?.rows ?? 0);
    const applied = !request.dryRun && republish > 0;
    if (applied) {
      await tx.execute(
        `update ${tables.outboxCheckpoint}
         set last_transaction_id = ?::xid8, last_position = ?, updated_at = now() where name = ?`,
        [rewoundTo.transactionId, rewoundTo.position, request.name],
      );
    }
    return {
      name: request.name,
      checkpoint,
      rewoundTo,
      republish,
      oldestRow: await edgeRow(tx, tables.outbox, 'asc'),
      applied,
    };
  });
}

/** A relay's checkpoint and how far behind the outbox it is, for operators. */
export async function outboxRelayStatus(em: EntityManager, name: string): Promise<RelayStatus> {
  const tables = eventStoreTables(em);
  const fork = em.fork();
  const [stored] = await fork.execute<
    { transaction_id: string; position: string; epoch: string | null; updated_at: Date }[]
  >(
    `select last_transaction_id::text as transaction_id, last_position as position, epoch, updated_at
     from ${tables.outboxCheckpoint} where name = ?`,
    [name],
  );
  if (!stored) throw new Error(`The outbox relay "${name}" has no checkpoint in ${tables.schema}`);
  const [counted] = await fork.execute<{ rows: string }[]>(
    `select count(*) as rows from ${tables.outbox}
     where (transaction_id, position) > (?::xid8, ?) and transaction_id < pg_snapshot_xmin(pg_current_snapshot())`,
    [stored.transaction_id, stored.position],
  );
  return {
    name,
    checkpoint: {
      transactionId: stored.transaction_id,
      position: Number(stored.position),
      epoch: stored.epoch,
      updatedAt: new Date(stored.updated_at).toISOString(),
    },
    unpublished: Number(counted?.rows ?? 0),
    oldestRow: await edgeRow(fork, tables.outbox, 'asc'),
    newestRow: await edgeRow(fork, tables.outbox, 'desc'),
  };
}

/** Just before the first row to publish again, or null when no row matches. */
async function targetPlace(
  em: EntityManager,
  outbox: string,
  target: RewindTarget,
): Promise<OutboxPlace | null> {
  if ('from' in target) {
    return { transactionId: target.from.transactionId, position: target.from.position - 1 };
  }
  const [first] = await em.execute<{ transaction_id: string; position: string }[]>(
    `select transaction_id::text as transaction_id, position from ${outbox}
     where created_at >= ? order by transaction_id, position limit 1`,
    [target.since.toISOString()],
  );
  return first ? { transactionId: first.transaction_id, position: Number(first.position) - 1 } : null;
}

async function edgeRow(
  em: EntityManager,
  outbox: string,
  order: 'asc' | 'desc',
): Promise<OutboxRowSummary | null> {
  const [row] = await em.execute<{ transaction_id: string; position: string; created_at: Date }[]>(
    `select transaction_id::text as transaction_id, position, created_at from ${outbox}
     order by transaction_id ${order}, position ${order} limit 1`,
  );
  return row
    ? {
        transactionId: row.transaction_id,
        position: Number(row.position),
        createdAt: new Date(row.created_at).toISOString(),
      }
    : null;
}

function isBefore(a: OutboxPlace, b: OutboxPlace): boolean {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  return ta < tb || (ta === tb && a.position < b.position);
}

export interface AfterRestoreRequest {
  readonly name: string;
  /** Rows created within this window before now are published again (default 7 days, as the relay). */
  readonly republishWindowMs?: number;
  readonly dryRun?: boolean;
}

export interface AfterRestoreReport {
  readonly name: string;
  /** Outbox rows renumbered into the restored cluster's past. */
  readonly renumbered: number;
  /** Rows the relay will publish (again): those of the window. */
  readonly republish: number;
  readonly checkpoint: OutboxPlace;
  readonly applied: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * After a logical restore (pg_dump / pg_restore) into another cluster, the outbox rows and the
 * checkpoint carry the old cluster's transaction ids, which the new cluster has not reached: the
 * relay would wait for ever on the restored rows (never older than every running transaction)
 * and skip every new row (a lower id than the checkpoint). This moves the restored rows into the
 * past (transaction id 0, kept in position order, all committed) and the checkpoint just before
 * the first row of the republish window, so the relay publishes the window again (consumers'
 * inboxes drop what they had) and every new row after it. Run it with the service stopped,
 * before it starts on the restored database; rows already at 0 are left as they are.
 */
export async function renumberOutboxAfterRestore(
  em: EntityManager,
  request: AfterRestoreRequest,
): Promise<AfterRestoreReport> {
  const tables = eventStoreTables(em);
  const windowMs = request.republishWindowMs ?? 7 * DAY_MS;
  return em.fork().transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
      relayTurnKey(tables.schema, request.name),
    ]);
    const [counted] = await tx.execute<{ rows: string }[]>(
      `select count(*) as rows from ${tables.outbox} where transaction_id <> '0'::xid8`,
    );
    const [first] = await tx.execute<{ position: string | null; last: string | null }[]>(
      `select min(position) filter (where created_at > now() - ? * interval '1 millisecond') as position,
              max(position) as last
       from ${tables.outbox}`,
      [windowMs],
    );
    const startAfter =
      first?.position !== null && first?.position !== undefined
        ? Number(first.position) - 1
        : Number(first?.last ?? 0);
    const checkpoint = { transactionId: '0', position: startAfter };
    const [republished] = await tx.execute<{ rows: string }[]>(
      `select count(*) as rows from ${tables.outbox} where position > ?`,
      [startAfter],
    );
    if (!request.dryRun) {
      await tx.execute(
        `update ${tables.outbox} set transaction_id = '0'::xid8 where transaction_id <> '0'::xid8`,
      );
      await tx.execute(
        `insert into ${tables.outboxCheckpoint} (name, last_transaction_id, last_position, updated_at)
         values (?, '0'::xid8, ?, now())
         on conflict (name) do update set last_transaction_id = excluded.last_transaction_id,
           last_position = excluded.last_position, updated_at = now()`,
        [request.name, startAfter],
      );
    }
    return {
      name: request.name,
      renumbered: Number(counted?.rows ?? 0),
      republish: Number(republished?.rows ?? 0),
      checkpoint,
      applied: !request.dryRun,
    };
  });
}
