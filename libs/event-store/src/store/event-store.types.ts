import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, MessageEnvelope } from '@scriptripper/contracts';
import type { StoredEventMetadata } from '../schema/stored-event.entity';

/** A version number (0: the stream must be empty), `'no-stream'`, or `'any'` (no check). */
export type ExpectedVersion = number | 'no-stream' | 'any';

export interface NewEvent<TData = unknown> {
  readonly type: string;
  readonly data: TData;
  /** Version of `data`'s shape; 1 when omitted. */
  readonly schemaVersion?: number;
}

/** The request the events belong to: becomes each event's metadata and envelope. */
export interface AppendContext {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly traceparent: string | null;
}

/** A message to publish after commit: one of the appended events (by index) or an envelope of its own. */
export type OutboxEntry =
  | { readonly destination: string; readonly event: number }
  | { readonly destination: string; readonly envelope: MessageEnvelope };

export interface RecordedEvent<TData = unknown> {
  readonly globalPosition: number;
  readonly streamId: string;
  readonly streamType: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: TData;
  readonly metadata: StoredEventMetadata;
  readonly recordedAt: Date;
  readonly prevHash: string | null;
  readonly hash: string;
}

export interface AppendInput {
  readonly streamId: string;
  readonly streamType: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly NewEvent[];
  readonly context: AppendContext;
  readonly outbox?: readonly OutboxEntry[];
  /** Inline read-model updates, run with the append's EntityManager inside its transaction. */
  readonly project?: (em: EntityManager, recorded: readonly RecordedEvent[]) => Promise<void>;
}

/** A read model kept in step with the events, inline with every append, and rebuildable from them. */
export interface Projection {
  readonly name: string;
  /** Event types it applies; others pass it by. */
  readonly handles: readonly string[];
  apply(em: EntityManager, event: RecordedEvent): Promise<void>;
}

export interface ReadAllQuery {
  /** Global position to continue after (exclusive); 0 or omitted: from the start. */
  readonly after?: number;
  /** At most this many events (default 100, at most 1000). */
  readonly limit?: number;
  readonly types?: readonly string[];
  readonly correlationId?: string;
  readonly actorId?: string;
  readonly recordedFrom?: Date;
  /** Exclusive upper bound. */
  readonly recordedBefore?: Date;
}

export type HashChainReport =
  | { readonly ok: true; readonly streams: number; readonly events: number }
  | {
      readonly ok: false;
      readonly firstBroken: {
        readonly streamId: string;
        readonly streamVersion: number;
        readonly globalPosition: number;
        readonly expectedHash: string;
        readonly actualHash: string;
      };
    };
