import type { AuditEntry, AuditQuery, Page } from '@scriptripper/contracts';
import type { ReadAllQuery, RecordedEvent } from '@scriptripper/event-store';

export class AuditQueryError extends Error {}

/** An AuditQuery as the event store's ReadAllQuery, asking one more than the page for the cursor. */
export function readAllQueryOf(query: AuditQuery): ReadAllQuery & { limit: number } {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new AuditQueryError('limit must be between 1 and 100');
  const after = query.cursor === undefined ? 0 : Number(query.cursor);
  if (!Number.isSafeInteger(after) || after < 0)
    throw new AuditQueryError('the cursor is not one this service gave out');
  return {
    after,
    limit: limit + 1,
    ...(query.type === undefined ? {} : { types: [query.type] }),
    ...(query.actor_id === undefined ? {} : { actorId: query.actor_id }),
    ...(query.correlation_id === undefined ? {} : { correlationId: query.correlation_id }),
    ...(query.from === undefined ? {} : { recordedFrom: dateOf(query.from, 'from') }),
    ...(query.to === undefined ? {} : { recordedBefore: dateOf(query.to, 'to') }),
  };
}

/** The page: entries carry who, what, when and the hash, never the event's data (it may be personal). */
export function auditPageOf(
  service: string,
  events: readonly RecordedEvent[],
  pageSize: number,
): Page<AuditEntry> {
  const items = events.slice(0, pageSize).map((event): AuditEntry => ({
    service,
    position: event.globalPosition,
    stream_id: event.streamId,
    stream_type: event.streamType,
    version: event.streamVersion,
    type: event.type,
    actor: { id: event.metadata.actor.id, role: event.metadata.actor.role },
    correlation_id: event.metadata.correlationId,
    causation_id: event.metadata.causationId,
    recorded_at: event.recordedAt.toISOString(),
    hash: event.hash,
  }));
  const last = items.at(-1);
  return { items, next_cursor: events.length > pageSize && last ? String(last.position) : null };
}

function dateOf(text: string, name: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new AuditQueryError(`${name} must be an ISO-8601 time`);
  return date;
}
