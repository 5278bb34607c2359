import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { eventStoreTables, type EventStoreTables } from '../schema/event-store-tables';
import { STREAM_VERSION_CONSTRAINT, type StoredEventMetadata } from '../schema/stored-event.entity';
import { ConcurrencyConflictError } from './concurrency-conflict.error';
import type {
  AppendInput,
  HashChainReport,
  OutboxEntry,
  Projection,
  ReadAllQuery,
  RecordedEvent,
} from './event-store.types';
import { eventHash } from './hash-chain';
import { rebuildProjection, type RebuildOptions } from './rebuild-projection';
import { EVENT_COLUMNS, envelopeOf, queryEvents } from './stored-event-rows';
import { verifyHashChains } from './verify-hash-chains';

export interface EventStoreOptions {
  /** Read models applied inline, in the append's transaction, to every event whose type they handle. */
  readonly projections?: readonly Projection[];
}

/** With `'any'`, a lost race is retried this many times before it surfaces as a conflict. */
const ANY_VERSION_ATTEMPTS = 5;
const MAX_READ_LIMIT = 1000;

/**
 * A service's append-only record. Each append is one transaction: events, inline projections
 * and outbox rows commit together or not at all. Appends to one stream are serialised by the
 * unique (stream_id, stream_version) constraint only, so different streams never wait on each other.
 */
export class EventStore {
  private readonly tables: EventStoreTables;
  private readonly projections: readonly Projection[];

  constructor(
    private readonly em: EntityManager,
    options: EventStoreOptions = {},
  ) {
    this.tables = eventStoreTables(em);
    this.projections = options.projections ?? [];
  }

  async append(input: AppendInput): Promise<RecordedEvent[]> {
    assertAppendable(input);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.em.transactional((em) => this.appendInTransaction(em, input));
      } catch (error) {
        if (!isStreamVersionCollision(error)) throw error;
        if (input.expectedVersion === 'any' && attempt < ANY_VERSION_ATTEMPTS) continue;
        const actual = await this.currentVersion(this.em, input.streamId);
        throw new ConcurrencyConflictError(input.streamId, input.expectedVersion, actual.version);
      }
    }
  }

  readStream(streamId: string): Promise<RecordedEvent[]> {
    return queryEvents(
      this.em,
      `select ${EVENT_COLUMNS} from ${this.tables.events} where stream_id = ? order by stream_version`,
      [streamId],
    );
  }

  /** Events in global order, for the audit and catch-up readers; page with `after` = the last position seen. */
  readAll(query: ReadAllQuery = {}): Promise<RecordedEvent[]> {
    const conditions = ['global_position > ?'];
    const params: unknown[] = [query.after ?? 0];
    if (query.types) {
      if (query.types.length === 0) return Promise.resolve([]);
      conditions.push('type in (?)');
      params.push([...query.types]);
    }
    if (query.correlationId !== undefined) {
      conditions.push(`metadata->>'correlationId' = ?`);
      params.push(query.correlationId);
    }
    if (query.actorId !== undefined) {
      conditions.push(`metadata->'actor'->>'id' = ?`);
      params.push(query.actorId);
    }
    if (query.recordedFrom) {
      conditions.push('recorded_at >= ?');
      params.push(query.recordedFrom.toISOString());
    }
    if (query.recordedBefore) {
      conditions.push('recorded_at < ?');
      params.push(query.recordedBefore.toISOString());
    }
    params.push(Math.min(Math.max(query.limit ?? 100, 1), MAX_READ_LIMIT));
    return queryEvents(
      this.em,
      `select ${EVENT_COLUMNS} from ${this.tables.events} where ${conditions.join(' and ')}
       order by global_position limit ?`,
      params,
    );
  }

  /** Loads an aggregate by replaying its stream; `version` is what the next append should expect. */
  async aggregateStream<TState>(
    streamId: string,
    evolve: (state: TState, event: RecordedEvent) => TState,
    initial: TState,
  ): Promise<{ state: TState; version: number }> {
    const events = await this.readStream(streamId);
    return {
      state: events.reduce(evolve, initial),
      version: events.at(-1)?.streamVersion ?? 0,
    };
  }

  rebuildProjection(projection: Projection, options: RebuildOptions): Promise<{ events: number }> {
    return rebuildProjection(this.em, this.tables, projection, options);
  }

  verifyHashChains(): Promise<HashChainReport> {
    return verifyHashChains(this.em, this.tables);
  }

  private async appendInTransaction(em: EntityManager, input: AppendInput): Promise<RecordedEvent[]> {
    const current = await this.currentVersion(em, input.streamId);
    if (!versionMatches(input.expectedVersion, current.version)) {
      throw new ConcurrencyConflictError(input.streamId, input.expectedVersion, current.version);
    }
    const recorded = await this.insertEvents(em, input, current);
    for (const event of recorded) {
      for (const projection of this.projections) {
        if (projection.handles.includes(event.type)) await projection.apply(em, event);
      }
    }
    await input.project?.(em, recorded);
    await this.insertOutbox(em, input.outbox ?? [], recorded);
    return recorded;
  }

  private async insertEvents(
    em: EntityManager,
    input: AppendInput,
    current: { version: number; hash: string | null },
  ): Promise<RecordedEvent[]> {
    const recordedAt = new Date();
    let prevHash = current.hash;
    const rows = input.events.map((event, index) => {
      const metadata: StoredEventMetadata = {
        actor: input.context.actor,
        correlationId: input.context.correlationId,
        causationId: input.context.causationId,
        traceparent: input.context.traceparent,
        schemaVersion: event.schemaVersion ?? 1,
        messageId: randomUUID(),
      };
      const content = {
        streamId: input.streamId,
        streamType: input.streamType,
        streamVersion: current.version + index + 1,
        type: event.type,
        data: event.data ?? null,
        metadata,
        recordedAt,
      };
      const hash = eventHash(prevHash, content);
      const row = { ...content, prevHash, hash };
      prevHash = hash;
      return row;
    });
    const inserted = await em.execute<{ global_position: string; stream_version: number }[]>(
      `insert into ${this.tables.events}
         (stream_id, stream_type, stream_version, type, data, metadata, recorded_at, prev_hash, hash)
       values ${rows.map(() => '(?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::timestamptz, ?, ?)').join(', ')}
       returning global_position, stream_version`,
      rows.flatMap((row) => [
        row.streamId,
        row.streamType,
        row.streamVersion,
        row.type,
        JSON.stringify(row.data),
        JSON.stringify(row.metadata),
        row.recordedAt.toISOString(),
        row.prevHash,
        row.hash,
      ]),
    );
    const positions = new Map(inserted.map((r) => [r.stream_version, Number(r.global_position)]));
    return rows.map((row) => ({ ...row, globalPosition: positions.get(row.streamVersion) ?? NaN }));
  }

  private async insertOutbox(
    em: EntityManager,
    entries: readonly OutboxEntry[],
    recorded: readonly RecordedEvent[],
  ): Promise<void> {
    if (entries.length === 0) return;
    const messages = entries.map((entry) => ({
      destination: entry.destination,
      envelope: 'envelope' in entry ? entry.envelope : envelopeOf(recorded[entry.event] as RecordedEvent),
    }));
    await em.execute(
      `insert into ${this.tables.outbox} (message_id, destination, envelope)
       values ${messages.map(() => '(?, ?, ?::jsonb)').join(', ')}`,
      messages.flatMap((message) => [
        message.envelope.id,
        message.destination,
        JSON.stringify(message.envelope),
      ]),
    );
  }

  private async currentVersion(
    em: EntityManager,
    streamId: string,
  ): Promise<{ version: number; hash: string | null }> {
    const [last] = await em.execute<{ stream_version: number; hash: string }[]>(
      `select stream_version, hash from ${this.tables.events}
       where stream_id = ? order by stream_version desc limit 1`,
      [streamId],
    );
    return last ? { version: last.stream_version, hash: last.hash } : { version: 0, hash: null };
  }
}

function versionMatches(expected: AppendInput['expectedVersion'], actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return actual === 0;
  return expected === actual;
}

function assertAppendable(input: AppendInput): void {
  if (input.events.length === 0) throw new Error(`Nothing to append to stream "${input.streamId}"`);
  for (const entry of input.outbox ?? []) {
    if (
      'event' in entry &&
      !(Number.isInteger(entry.event) && entry.event >= 0 && entry.event < input.events.length)
    ) {
      throw new Error(
        `Outbox entry for ${entry.destination} names event ${entry.event}, which is not being appended`,
      );
    }
  }
}

function isStreamVersionCollision(error: unknown): boolean {
  const candidate = error as { code?: unknown; constraint?: unknown } | null;
  return candidate?.code === '23505' && candidate.constraint === STREAM_VERSION_CONSTRAINT;
}
