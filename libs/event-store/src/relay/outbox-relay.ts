import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageEnvelope } from '@scriptripper/contracts';
import { eventStoreTables, type EventStoreTables } from '../schema/event-store-tables';
import { EventStoreMetrics, type RelayLag } from '../metrics/event-store-metrics';
import type { OutboxPublisher } from './outbox-publisher';
import { relayTurnKey } from './relay-turn';

export interface OutboxRelayOptions {
  /** The service's EntityManager (MikroORM configured with the service's schema). */
  readonly em: EntityManager;
  /** Names the checkpoint; relays sharing a name take turns, so any number of instances may run. */
  readonly name: string;
  readonly publisher: OutboxPublisher;
  /** Rows per run (default 100). */
  readonly batchSize?: number;
  /** Pause between runs once the outbox is drained (default 200 ms). */
  readonly pollIntervalMs?: number;
  /**
   * After Redis lost its data, rows created within this window are published again (default
   * 7 days): a consumer that was down longer than that has more to recover than the bus.
   */
  readonly republishWindowMs?: number;
  /** Failed runs are reported here and retried at the next poll (default: console.error). */
  readonly onError?: (error: unknown) => void;
}

export interface RelayRun {
  readonly published: number;
  /** Another instance held this relay's turn; nothing was done. */
  readonly busy: boolean;
  /** The Redis epoch changed and the checkpoint was moved back to republish. */
  readonly epochChanged: boolean;
}

/** A place in the relay's order: transaction id (xid8, as text), then position. */
interface OutboxPlace {
  readonly transactionId: string;
  readonly position: number;
}

interface OutboxRow {
  readonly position: string;
  readonly transaction_id: string;
  readonly destination: string;
  readonly envelope: MessageEnvelope;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Publishes the outbox to Redis in a safe order and advances a checkpoint in Postgres only
 * after Redis accepted the batch (at least once; consumers' inboxes drop duplicates).
 *
 * Why transaction ids and not positions: a position is taken at insert, before commit, so a
 * row with a lower position can become visible after a higher one; "position > last seen"
 * skips it for ever. The relay reads only rows of transactions older than every transaction
 * still running (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`), in
 * (transaction id, position) order: no row can later appear before the checkpoint. The cost is
 * latency while any transaction in the cluster stays open, never a lost row.
 */
export class OutboxRelay {
  private readonly tables: EventStoreTables;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly republishWindowMs: number;
  private readonly onError: (error: unknown) => void;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private removeLagSource: (() => void) | undefined;

  constructor(private readonly options: OutboxRelayOptions) {
    this.tables = eventStoreTables(options.em);
    this.batchSize = options.batchSize ?? 100;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.republishWindowMs = options.republishWindowMs ?? 7 * DAY_MS;
    this.onError =
      options.onError ?? ((error) => console.error(`outbox relay ${options.name} failed`, error));
  }

  /** Publishes at most one batch. Holds this relay's turn (an advisory lock) for the whole run. */
  runOnce(): Promise<RelayRun> {
    return this.options.em.fork().transactional(async (em) => {
      const [turn] = await em.execute<{ taken: boolean }[]>(
        'select pg_try_advisory_xact_lock(hashtextextended(?, 0)) as taken',
        [relayTurnKey(this.tables.schema, this.options.name)],
      );
      if (!turn?.taken) return { published: 0, busy: true, epochChanged: false };

      const stored = await this.loadCheckpoint(em);
      const epoch = await this.options.publisher.currentEpoch();
      const epochChanged = stored.epoch !== null && stored.epoch !== epoch;
      const from = epochChanged ? await this.republishStart(em, stored.place) : stored.place;

      const rows = await this.readBatch(em, from);
      await this.publishInOrder(rows);

      const last = rows.at(-1);
      const reached = last ? { transactionId: last.transaction_id, position: Number(last.position) } : from;
      if (last || epoch !== stored.epoch) await this.saveCheckpoint(em, reached, epoch);
      return { published: rows.length, busy: false, epochChanged };
    });
  }

  /** Runs until `stop()`, pausing when the outbox is drained; reports its lag to /metrics meanwhile. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.runLoop();
    this.removeLagSource = EventStoreMetrics.in().addRelayLagSource(this.options.name, () => this.lag());
  }

  /** Stops polling; resolves once the batch in flight (if any) is published and checkpointed. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.removeLagSource?.();
    this.removeLagSource = undefined;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /**
   * Rows after this relay's checkpoint (committed or not yet visible) and the age of the oldest:
   * what the relay still has to publish. One index range scan of the outbox.
   */
  async lag(): Promise<RelayLag> {
    const [row] = await this.options.em.fork().execute<{ unpublished: number; oldest_age_seconds: number }[]>(
      `select count(*)::int as unpublished,
         coalesce(extract(epoch from now() - min(o.created_at)), 0)::float8 as oldest_age_seconds
       from ${this.tables.outbox} o
       left join ${this.tables.outboxCheckpoint} c on c.name = ?
       where (o.transaction_id, o.position) > (coalesce(c.last_transaction_id, '0'::xid8), coalesce(c.last_position, 0))`,
      [this.options.name],
    );
    return {
      unpublished: row?.unpublished ?? 0,
      oldestAgeSeconds: Math.max(0, row?.oldest_age_seconds ?? 0),
    };
  }

  /**
   * Deletes rows created before `olderThan` that this relay has already passed. Keep at least
   * the republish window, or a Redis loss cannot be repaired from the outbox.
   */
  async pruneOutbox(olderThan: Date): Promise<number> {
    const em = this.options.em.fork();
    const stored = await this.loadCheckpoint(em);
    const deleted = await em.execute<{ position: string }[]>(
      `delete from ${this.tables.outbox}
       where created_at < ? and (transaction_id, position) <= (?::xid8, ?) returning position`,
      [olderThan.toISOString(), stored.place.transactionId, stored.place.position],
    );
    return deleted.length;
  }

  private async runLoop(): Promise<void> {
    while (!this.stopping) {
      let drained = true;
      try {
        const run = await this.runOnce();
        drained = run.busy || run.published < this.batchSize;
      } catch (error) {
        this.onError(error);
      }
      if (drained && !this.stopping) await this.pause();
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wake = done;
    });
  }

  private async loadCheckpoint(em: EntityManager): Promise<{ place: OutboxPlace; epoch: string | null }> {
    const select = `select last_transaction_id::text as transaction_id, last_position as position, epoch
      from ${this.tables.outboxCheckpoint} where name = ?`;
    let [row] = await em.execute<{ transaction_id: string; position: string; epoch: string | null }[]>(
      select,
      [this.options.name],
    );
    if (!row) {
      await em.execute(
        `insert into ${this.tables.outboxCheckpoint} (name) values (?) on conflict do nothing`,
        [this.options.name],
      );
      [row] = await em.execute(select, [this.options.name]);
    }
    if (!row) throw new Error(`Outbox checkpoint ${this.options.name} could not be created`);
    return { place: { transactionId: row.transaction_id, position: Number(row.position) }, epoch: row.epoch };
  }

  /**
   * Where to resume after Redis lost its data: just before the first row of the republish
   * window, unless the checkpoint is already earlier (rows not yet published stay due whatever their age).
   */
  private async republishStart(em: EntityManager, current: OutboxPlace): Promise<OutboxPlace> {
    const [first] = await em.execute<{ transaction_id: string; position: string }[]>(
      `select transaction_id::text as transaction_id, position from ${this.tables.outbox}
       where created_at > now() - ? * interval '1 millisecond'
       order by transaction_id, position limit 1`,
      [this.republishWindowMs],
    );
    if (!first) return current;
    const windowStart = { transactionId: first.transaction_id, position: Number(first.position) - 1 };
    return isBefore(windowStart, current) ? windowStart : current;
  }

  private readBatch(em: EntityManager, after: OutboxPlace): Promise<OutboxRow[]> {
    return em.execute<OutboxRow[]>(
      `select position, transaction_id::text as transaction_id, destination, envelope from ${this.tables.outbox}
       where (transaction_id, position) > (?::xid8, ?)
         and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       order by transaction_id, position limit ?`,
      [after.transactionId, after.position, this.batchSize],
    );
  }

  /** One publish per run of consecutive rows with the same destination, so order holds across destinations too. */
  private async publishInOrder(rows: readonly OutboxRow[]): Promise<void> {
    let index = 0;
    while (index < rows.length) {
      const destination = rows[index]?.destination as string;
      const envelopes: MessageEnvelope[] = [];
      while (index < rows.length && rows[index]?.destination === destination) {
        envelopes.push((rows[index] as OutboxRow).envelope);
        index++;
      }
      await this.options.publisher.publishBatch(destination, envelopes);
    }
  }

  private async saveCheckpoint(em: EntityManager, place: OutboxPlace, epoch: string): Promise<void> {
    await em.execute(
      `update ${this.tables.outboxCheckpoint}
       set last_transaction_id = ?::xid8, last_position = ?, epoch = ?, updated_at = now() where name = ?`,
      [place.transactionId, place.position, epoch, this.options.name],
    );
  }
}

function isBefore(a: OutboxPlace, b: OutboxPlace): boolean {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  return ta < tb || (ta === tb && a.position < b.position);
}
