import { randomUUID } from 'node:crypto';
import type { Actor, ActorCredential, MessageEnvelope } from '@scriptripper/contracts';
import { ACTOR_ROLES } from '@scriptripper/contracts';
import { MalformedEnvelopeError } from './errors';

/** What a caller sets on an outgoing message; everything else the transport fills in. */
export interface MessageContext {
  readonly actor?: Actor;
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly traceparent?: string | null;
  readonly schemaVersion?: number;
}

/** Per-call options of `client.send`, beside the context. */
export interface CallOptions extends MessageContext {
  /** Overrides the client's `replyTimeoutMs` for this call. */
  readonly timeoutMs?: number;
}

/** Messages without an actor act as nobody: services must refuse what needs rights. */
export const ANONYMOUS_ACTOR: Actor = { id: 'anonymous', role: 'anonymous', scopes: [] };

export function createEnvelope<TData>(
  type: string,
  data: TData,
  context: MessageContext = {},
): MessageEnvelope<TData> {
  const id = randomUUID();
  return {
    id,
    type,
    correlationId: context.correlationId ?? id,
    causationId: context.causationId ?? null,
    actor: context.actor ?? ANONYMOUS_ACTOR,
    occurredAt: new Date().toISOString(),
    schemaVersion: context.schemaVersion ?? 1,
    traceparent: context.traceparent ?? null,
    data,
  };
}

/** The context for messages a handler sends because of `envelope`: same actor and correlation. */
export function causedBy(envelope: MessageEnvelope): MessageContext {
  return {
    actor: envelope.actor,
    correlationId: envelope.correlationId,
    causationId: envelope.id,
    traceparent: envelope.traceparent,
  };
}

/**
 * Data wrapped with its context for `client.send` / `client.emit`, which only take
 * `(pattern, data)`: `client.send('jobs.create', withContext(causedBy(envelope), payload))`.
 */
export class ContextualData<TData = unknown> {
  constructor(
    readonly options: CallOptions,
    readonly data: TData,
  ) {}
}

export function withContext<TData>(options: CallOptions, data: TData): ContextualData<TData> {
  return new ContextualData(options, data);
}

export function unwrapContextualData(payload: unknown): { options: CallOptions; data: unknown } {
  return payload instanceof ContextualData
    ? { options: payload.options, data: payload.data }
    : { options: {}, data: payload };
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Strictly checks a JSON text (or a parsed value) against `MessageEnvelope`. */
export function parseEnvelope(raw: unknown): MessageEnvelope {
  const value = typeof raw === 'string' ? parseJson(raw) : raw;
  if (!isRecord(value)) fail('envelope is not a JSON object');
  requireText(value, 'id');
  requireText(value, 'type');
  requireText(value, 'correlationId');
  if (value['causationId'] !== null) requireText(value, 'causationId', 'a non-empty string or null');
  const actor = parseActor(value['actor']);
  if (typeof value['occurredAt'] !== 'string' || !ISO_UTC.test(value['occurredAt'])) {
    fail('occurredAt must be an ISO-8601 UTC timestamp');
  }
  if (Number.isNaN(Date.parse(value['occurredAt']))) fail('occurredAt is not a real date');
  const schemaVersion = value['schemaVersion'];
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) {
    fail('schemaVersion must be a positive integer');
  }
  const traceparent = value['traceparent'];
  if (traceparent !== null && (typeof traceparent !== 'string' || !TRACEPARENT.test(traceparent))) {
    fail('traceparent must be a W3C traceparent or null');
  }
  if (!('data' in value)) fail('data is missing');
  return {
    id: value['id'] as string,
    type: value['type'] as string,
    correlationId: value['correlationId'] as string,
    causationId: value['causationId'] as string | null,
    actor,
    occurredAt: value['occurredAt'],
    schemaVersion,
    traceparent: traceparent as string | null,
    data: value['data'],
  };
}

function parseActor(value: unknown): Actor {
  if (!isRecord(value)) fail('actor must be an object');
  if (typeof value['id'] !== 'string' || value['id'] === '') fail('actor.id must be a non-empty string');
  const role = value['role'];
  if (typeof role !== 'string' || !(ACTOR_ROLES as readonly string[]).includes(role)) {
    fail(`actor.role must be one of ${ACTOR_ROLES.join(', ')}`);
  }
  const scopes = value['scopes'];
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) {
    fail('actor.scopes must be an array of strings');
  }
  const credential = value['credential'];
  return {
    id: value['id'],
    role: role as Actor['role'],
    scopes: [...scopes],
    ...(credential === undefined ? {} : { credential: parseCredential(credential) }),
  };
}

function parseCredential(value: unknown): ActorCredential {
  if (!isRecord(value)) fail('actor.credential must be an object');
  if (value['kind'] === 'session') {
    if (typeof value['session_id'] !== 'string' || value['session_id'] === '')
      fail('actor.credential.session_id must be a non-empty string');
    if (typeof value['issued_at'] !== 'number' || !Number.isFinite(value['issued_at']))
      fail('actor.credential.issued_at must be a number');
    return { kind: 'session', session_id: value['session_id'], issued_at: value['issued_at'] };
  }
  if (value['kind'] === 'api-token') {
    if (typeof value['token_id'] !== 'string' || value['token_id'] === '')
      fail('actor.credential.token_id must be a non-empty string');
    return { kind: 'api-token', token_id: value['token_id'] };
  }
  return fail('actor.credential.kind must be session or api-token');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    fail('not valid JSON');
  }
}

function requireText(value: Record<string, unknown>, field: string, expected = 'a non-empty string'): void {
  if (typeof value[field] !== 'string' || value[field] === '') fail(`${field} must be ${expected}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: string): never {
  throw new MalformedEnvelopeError(reason);
}
