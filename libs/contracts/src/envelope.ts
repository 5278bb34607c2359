import type { Actor } from './actor';

/**
 * What every message on every stream carries around its payload. Events keep their
 * envelope in the event table's metadata, so the record and the bus agree.
 */
export interface MessageEnvelope<TData = unknown> {
  /** Unique per message; consumers' inboxes dedupe on it. */
  readonly id: string;
  /** The event type (`JobCreated`) or RPC pattern (`jobs.create`). */
  readonly type: string;
  /** The request this message belongs to, end to end. */
  readonly correlationId: string;
  /** The id of the message that caused this one; null for a client's request. */
  readonly causationId: string | null;
  readonly actor: Actor;
  /** ISO-8601 UTC. */
  readonly occurredAt: string;
  /** Version of `data`'s shape for this type. */
  readonly schemaVersion: number;
  /** W3C trace context (`00-<trace id>-<span id>-<flags>`), null when not traced. */
  readonly traceparent: string | null;
  readonly data: TData;
}

/** The one error shape of the platform: HTTP bodies wrap it in `{ "error": ... }`, RPC replies carry it. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}
