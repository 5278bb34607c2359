import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageEnvelope } from '@scriptripper/contracts';
import { activeTraceparent, inSpan, SpanKind } from '@scriptripper/observability';
import { EventStoreMetrics, type AppendOutcome } from '../metrics/event-store-metrics';
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
import { appendStatements, type AppendStatements } from './append-statements';
import { queryOnDriver } from './driver-query';
import { eventHash } from './hash-chain';
import { KnownStreamHeads, type StreamHead } from './known-stream-heads';
import { rebuildProjection, rebuildProjections, type RebuildOptions } from './rebuild-projection';
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
  private readonly knownHeads = new KnownStreamHeads();
  private readonly statements: AppendStatements;
  private readonly metrics = EventStoreMetrics.in();

  constructor(
    private readonly em: EntityManager,
    options: EventStoreOptions = {},
  ) {
    this.tables = eventStoreTables(em);
    this.projections = options.projections ?? [];
    this.statements = appendStatements(this.tables);
  }

  /**
   * One statement inserts the events and their outbox rows, so without inline projections an
   * append is a single round trip (two when the expected version's hash is not known yet).
   * With projections, that statement and the projections share one transaction.
   */
  async append(input: AppendInput): Promise<RecordedEvent[]> {
    assertAppendable(input);
    const startedAt = performance.now();
    let outcome: AppendOutcome = 'error';
    try {
      const recorded = await inSpan(
        `append ${input.streamType}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'db.system.name': 'postgresql',
            'db.namespace': this.tables.schema,
            'db.operation.name': 'append',
            'scriptripper.stream_type': input.streamType,
            'scriptripper.events': input.events.length,
          },
        },
        () => this.appendWithRetry(input),
      );
      outcome = 'ok';
      return recorded;
    } catch (error) {
      if (error instanceof ConcurrencyConflictError) outcome = 'conflict';
      throw error;
    } finally {
      this.metrics.observeAppend(this.tables.schema, outcome, (performance.now() - startedAt) / 1000);
    }
  }

  private async appendWithRetry(input: AppendInput): Promise<RecordedEvent[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.appendAfter(await this.expectedHead(input), input);
      } catch (error) {
        if (!isStreamVersionCollision(error)) throw error;
        if (input.expectedVersion === 'any' && attempt < ANY_VERSION_ATTEMPTS) continue;
        throw await this.conflict(input);
      }
    }
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const events = await inSpan(
      'read stream',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'postgresql',
          'db.namespace': this.tables.schema,
          'db.operation.name': 'read stream',
        },
      },
      () =>
        queryEvents(
          this.em,
          `select ${EVENT_COLUMNS} from ${this.tables.events} where stream_id = ? order by stream_version`,
          [streamId],
        ),
    );
    // Loading an aggregate usually precedes an append at its version: that append needs no read.
    this.rememberCommitted(events.at(-1));
    return events;
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

  /** Rebuilds several projections in one replay (a service's whole read model); see `rebuildProjections`. */
  rebuildProjections(
    projections: readonly Projection[],
    options: RebuildOptions,
  ): Promise<{ events: number }> {
    return rebuildProjections(this.em, this.tables, projections, options);
  }

  verifyHashChains(): Promise<HashChainReport> {
    return verifyHashChains(this.em, this.tables);
  }

  /**
   * The head the append chains to. No lock and no transaction: a committed event never changes,
   * so reading version N's hash outside the append is safe, and a writer that got further
   * meanwhile makes the insert collide on (stream_id, stream_version).
   */
  private async expectedHead(input: AppendInput): Promise<StreamHead> {
    const { streamId, expectedVersion } = input;
    if (expectedVersion === 'any') return this.currentHead(streamId);
    if (expectedVersion === 'no-stream' || expectedVersion === 0) return { version: 0, hash: null };
    if (!Number.isInteger(expectedVersion)) throw await this.conflict(input);
    const known = this.knownHeads.at(streamId, expectedVersion);
    if (known) return known;
    const [row] = await queryOnDriver<{ hash: string }>(this.em, {
      ...this.statements.hashAtVersion,
      values: [streamId, expectedVersion],
    });
    if (!row) throw await this.conflict(input);
    return { version: expectedVersion, hash: row.hash };
  }

  private async appendAfter(head: StreamHead, input: AppendInput): Promise<RecordedEvent[]> {
    const events = chainedEvents(input, head);
    const outbox = outboxMessages(input.outbox ?? [], events);
    // Inside the caller's transaction a savepoint keeps a lost race from aborting it.
    const recorded =
      this.needsProjection(input) || this.em.isInTransaction()
        ? await this.em.transactional(async (em) => {
            const inserted = await this.insert(em, events, outbox);
            await this.project(em, input, inserted);
            return inserted;
          })
        : await this.insert(this.em, events, outbox);
    this.rememberCommitted(recorded.at(-1));
    return recorded;
  }

  private needsProjection(input: AppendInput): boolean {
    return (
      input.project !== undefined ||
      input.events.some((event) => this.projections.some((p) => p.handles.includes(event.type)))
    );
  }

  private async project(em: EntityManager, input: AppendInput, recorded: RecordedEvent[]): Promise<void> {
    for (const event of recorded) {
      for (const projection of this.projections) {
        if (projection.handles.includes(event.type)) await projection.apply(em, event);
      }
    }
    await input.project?.(em, recorded);
  }

  /**
   * The events and their outbox rows in one statement: atomic on its own, one round trip. Rows
   * travel as arrays, so every append runs the same text, prepared once per connection.
   */
  private async insert(
    em: EntityManager,
    events: readonly UnpositionedEvent[],
    outbox: readonly OutboxRow[],
  ): Promise<RecordedEvent[]> {
    const [first] = events as [UnpositionedEvent];
    const inserted = await queryOnDriver<{ global_position: string; stream_version: number }>(em, {
      ...this.statements.insert,
      values: [
        first.streamId,
        first.streamType,
        first.recordedAt.toISOString(),
        events.map((event) => event.streamVersion),
        events.map((event) => event.type),
        events.map((event) => JSON.stringify(event.data)),
        events.map((event) => JSON.stringify(event.metadata)),
        events.map((event) => event.prevHash),
        events.map((event) => event.hash),
        outbox.map((row) => row.envelope.id),
        outbox.map((row) => row.destination),
        outbox.map((row) => JSON.stringify(row.envelope)),
      ],
    });
    const positions = new Map(inserted.map((r) => [r.stream_version, Number(r.global_position)]));
    return events.map((event) => ({ ...event, globalPosition: positions.get(event.streamVersion) ?? NaN }));
  }

  /** Rows read or written outside a transaction are committed, hence safe to chain to later. */
  private rememberCommitted(last: RecordedEvent | undefined): void {
    if (!last || this.em.isInTransaction()) return;
    this.knownHeads.remember(last.streamId, { version: last.streamVersion, hash: last.hash });
  }

  private async conflict(input: AppendInput): Promise<ConcurrencyConflictError> {
    const actual = await this.currentHead(input.streamId);
    return new ConcurrencyConflictError(input.streamId, input.expectedVersion, actual.version);
  }

  private async currentHead(streamId: string): Promise<StreamHead> {
    const [last] = await queryOnDriver<{ stream_version: number; hash: string }>(this.em, {
      ...this.statements.latestHead,
      values: [streamId],
    });
    return last ? { version: last.stream_version, hash: last.hash } : { version: 0, hash: null };
  }
}

type UnpositionedEvent = Omit<RecordedEvent, 'globalPosition'>;

interface OutboxRow {
  readonly destination: string;
  readonly envelope: MessageEnvelope;
}

/** The new events with their versions, one time for all of them, and their links in the hash chain. */
function chainedEvents(input: AppendInput, head: StreamHead): UnpositionedEvent[] {
  const recordedAt = new Date();
  let prevHash = head.hash;
  return input.events.map((event, index) => {
    const metadata: StoredEventMetadata = {
      actor: input.context.actor,
      correlationId: input.context.correlationId,
      causationId: input.context.causationId,
      // With tracing on, the append's own span: the events' consumers continue the trace from it.
      traceparent: activeTraceparent() ?? input.context.traceparent,
      schemaVersion: event.schemaVersion ?? 1,
      messageId: randomUUID(),
    };
    const content = {
      streamId: input.streamId,
      streamType: input.streamType,
      streamVersion: head.version + index + 1,
      type: event.type,
      data: event.data ?? null,
      metadata,
      recordedAt,
    };
    const hash = eventHash(prevHash, content);
    const chained = { ...content, prevHash, hash };
    prevHash = hash;
    return chained;
  });
}

function outboxMessages(entries: readonly OutboxEntry[], events: readonly UnpositionedEvent[]): OutboxRow[] {
  return entries.map((entry) => ({
    destination: entry.destination,
    envelope: 'envelope' in entry ? entry.envelope : envelopeOf(events[entry.event] as UnpositionedEvent),
  }));
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
