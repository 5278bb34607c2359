import type Redis from 'ioredis';
import { addDeadLetter, type DeadLetterRecord } from './dead-letters';
import type { GroupBacklog } from './stream-metrics';
import { compareStreamIds, fieldsToRecord, trimPointOf, type GroupPosition } from './stream-ids';

export interface ClaimedEntry {
  readonly id: string;
  readonly fields: Record<string, string>;
  /** Redis' delivery counter, including this claim. */
  readonly deliveries: number;
}

export interface AutoclaimResult {
  readonly claimed: ClaimedEntry[];
  /** Pending ids whose entries were deleted (XDEL, trimming) before anyone processed them. */
  readonly deleted: string[];
}

type RawEntry = [id: string, fields: string[] | null];

/**
 * One consumer (this instance) in one group on one stream: the Redis commands of the
 * consumer-group protocol, with the stream's key prefix applied.
 */
export class ConsumerGroup {
  readonly key: string;
  private autoclaimCursor = '0-0';
  private nextAck: { readonly ids: string[]; readonly sent: Promise<void> } | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    readonly stream: string,
    readonly group: string,
    readonly consumer: string,
  ) {
    this.key = keyPrefix + stream;
  }

  /**
   * Creates the group (and the stream) when missing. A new group starts at `0`, the start
   * of what the stream still holds: after Redis lost everything the outbox relay may
   * republish before this consumer is back, and those entries must not be skipped.
   */
  async ensure(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.key, this.group, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  /**
   * Acks `id` with every other id acked in the same turn of the event loop: one XACK per
   * stream per turn instead of one round trip per entry. Resolves once Redis took the XACK.
   */
  ack(id: string): Promise<void> {
    if (!this.nextAck) {
      const ids: string[] = [];
      const sent = new Promise((resolve) => setImmediate(resolve)).then(async () => {
        this.nextAck = undefined;
        await this.redis.xack(this.key, this.group, ...ids);
      });
      this.nextAck = { ids, sent };
    }
    this.nextAck.ids.push(id);
    return this.nextAck.sent;
  }

  /** Writes the DLQ entry and acks in one MULTI, the DLQ write first. */
  async deadLetter(record: Omit<DeadLetterRecord, 'stream' | 'group' | 'consumer'>): Promise<void> {
    const multi = this.redis.multi();
    addDeadLetter(multi, this.keyPrefix, {
      ...record,
      stream: this.stream,
      group: this.group,
      consumer: this.consumer,
    });
    multi.xack(this.key, this.group, record.messageId);
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Dead-letter transaction was aborted');
  }

  /**
   * Takes the entry again for a retry: XCLAIM (without JUSTID) bumps Redis' delivery
   * counter. Null when the entry is no longer there to take.
   */
  async claimForRetry(id: string): Promise<Record<string, string> | null> {
    const entries = (await this.redis.xclaim(this.key, this.group, this.consumer, 0, id)) as RawEntry[];
    const fields = entries[0]?.[1];
    return fields ? fieldsToRecord(fields) : null;
  }

  /**
   * Resets the idle time of entries this consumer still owns, so a slow handler's message
   * is not claimed by another consumer. Returns the ids owned by someone else now.
   */
  async refresh(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const owned = new Set(await this.ownedIds(ids));
    const stillOwned = ids.filter((id) => owned.has(id));
    if (stillOwned.length > 0) {
      await this.redis.xclaim(this.key, this.group, this.consumer, 0, ...stillOwned, 'JUSTID');
    }
    return ids.filter((id) => !owned.has(id));
  }

  /** Makes entries this consumer will not process claimable by others right away. */
  async release(ids: readonly string[], idleMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.xclaim(this.key, this.group, this.consumer, 0, ...ids, 'IDLE', idleMs, 'JUSTID');
  }

  /** One XAUTOCLAIM step (the cursor moves on between calls) plus the claimed entries' delivery counts. */
  async autoclaim(minIdleMs: number, count: number): Promise<AutoclaimResult> {
    const [cursor, entries, deleted] = (await this.redis.xautoclaim(
      this.key,
      this.group,
      this.consumer,
      minIdleMs,
      this.autoclaimCursor,
      'COUNT',
      count,
    )) as [string, RawEntry[], string[]?];
    this.autoclaimCursor = cursor;
    const live = entries.filter((entry): entry is [string, string[]] => entry[1] !== null);
    const deliveries = await this.deliveryCounts(live.map(([id]) => id));
    return {
      claimed: live.map(([id, fields]) => ({
        id,
        fields: fieldsToRecord(fields),
        deliveries: deliveries.get(id) ?? 1,
      })),
      deleted: [...(deleted ?? []), ...entries.filter(([, fields]) => fields === null).map(([id]) => id)],
    };
  }

  /**
   * Trims entries every group on the stream is done with, only when the stream is longer
   * than `maxLength`. MINID (not MAXLEN, which drops pending entries too) keeps everything
   * a group has not acked or not yet read. Returns the number of entries removed.
   */
  async trim(maxLength: number): Promise<number> {
    const length = await this.redis.xlen(this.key);
    if (length <= maxLength) return 0;
    const minId = trimPointOf(await this.groupPositions());
    if (minId === null) return 0;
    return this.redis.xtrim(this.key, 'MINID', '~', minId);
  }

  /** Deletes other consumers of the group that hold nothing and were idle for `idleMs`. */
  async retireIdleConsumers(idleMs: number): Promise<string[]> {
    const consumers = (await this.redis.xinfo('CONSUMERS', this.key, this.group)) as string[][];
    const retired: string[] = [];
    for (const consumer of consumers.map(fieldsOfInfo)) {
      const name = String(consumer['name']);
      if (name === this.consumer || Number(consumer['pending']) > 0 || Number(consumer['idle']) < idleMs) {
        continue;
      }
      await this.redis.xgroup('DELCONSUMER', this.key, this.group, name);
      retired.push(name);
    }
    return retired;
  }

  async backlog(): Promise<GroupBacklog | null> {
    const groups = (await this.redis.xinfo('GROUPS', this.key)) as unknown[][];
    const mine = groups.map(fieldsOfInfo).find((group) => group['name'] === this.group);
    if (!mine) return null;
    const lag = mine['lag'];
    return {
      stream: this.stream,
      group: this.group,
      pending: Number(mine['pending']),
      lag: lag === null || lag === undefined ? null : Number(lag),
    };
  }

  private async groupPositions(): Promise<GroupPosition[]> {
    const groups = ((await this.redis.xinfo('GROUPS', this.key)) as unknown[][]).map(fieldsOfInfo);
    return Promise.all(
      groups.map(async (group) => {
        const name = String(group['name']);
        const pending = Number(group['pending']);
        let oldestPendingId: string | null = null;
        if (pending > 0) {
          const summary = (await this.redis.xpending(this.key, name)) as [
            number,
            string | null,
            ...unknown[],
          ];
          oldestPendingId = summary[1];
        }
        return { group: name, lastDeliveredId: String(group['last-delivered-id']), oldestPendingId };
      }),
    );
  }

  private async ownedIds(ids: readonly string[]): Promise<string[]> {
    const sorted = [...ids].sort(compareStreamIds);
    const rows = (await this.redis.xpending(
      this.key,
      this.group,
      sorted[0] as string,
      sorted[sorted.length - 1] as string,
      // Ids of other consumers may sit in between; ask for a generous window.
      ids.length + 1_000,
      this.consumer,
    )) as [string, string, number, number][];
    return rows.map(([id]) => id);
  }

  private async deliveryCounts(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const wanted = new Set(ids);
    const rows = (await this.redis.xpending(
      this.key,
      this.group,
      ids[0] as string,
      ids[ids.length - 1] as string,
      ids.length + 1_000,
      this.consumer,
    )) as [string, string, number, number][];
    return new Map(rows.filter(([id]) => wanted.has(id)).map(([id, , , count]) => [id, count]));
  }
}

/** XINFO replies are flat `[field, value, ...]` lists. */
function fieldsOfInfo(flat: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let index = 0; index + 1 < flat.length; index += 2) record[String(flat[index])] = flat[index + 1];
  return record;
}
