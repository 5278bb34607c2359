import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface CorrelationContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

/**
 * Runs work with a correlation id that every log line inside it carries. HTTP requests get
 * one from the observability module; stream handlers call this with the message's id.
 */
export function runWithCorrelationId<T>(correlationId: string, work: () => T): T {
  return storage.run({ correlationId }, work);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Client-chosen ids are kept only when they are short and plain, so they cannot forge log lines. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const assignedId = Symbol('scriptripper:correlation-id');

type RequestWithId = IncomingMessage & { [assignedId]?: string };

/** The request's `X-Request-Id` when acceptable, otherwise a new one; the same answer every call. */
export function correlationIdOf(request: IncomingMessage): string {
  const withId = request as RequestWithId;
  if (withId[assignedId]) return withId[assignedId];
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
  withId[assignedId] = id;
  return id;
}
