import type { AuditEntry, Page } from '@scriptripper/contracts';
import { ApiError } from '../http/api-error';

/**
 * Where one service's part of a merged audit listing stands: the cursor of the page it was
 * last asked for (null: its first page) and how many entries of that page were already
 * listed. Service cursors stay opaque: resuming means asking for the same page again and
 * skipping what was listed.
 */
export interface ServicePosition {
  readonly cursor: string | null;
  readonly skip: number;
}

/** Every service's position; a service missing from it has nothing more to list. */
export type AuditPosition = Readonly<Record<string, ServicePosition>>;

export function startPosition(services: readonly string[]): AuditPosition {
  return Object.fromEntries(services.map((service) => [service, { cursor: null, skip: 0 }]));
}

/**
 * Merges the services' pages (each ascending by time) into one page ascending by
 * `recorded_at`, then service and position. A service whose page runs out while it has
 * more stops the merge there, since its next entries might come first: so a page may
 * hold fewer than `limit` entries, and only a null `next_cursor` means the end.
 */
export function mergeAuditPages(
  position: AuditPosition,
  pages: Readonly<Record<string, Page<AuditEntry>>>,
  limit: number,
): { items: AuditEntry[]; next: AuditPosition | null } {
  const queues = Object.entries(position).map(([service, at]) => ({
    service,
    at,
    entries: pages[service]?.items.slice(at.skip) ?? [],
    taken: 0,
    more: pages[service]?.next_cursor ?? null,
  }));
  const items: AuditEntry[] = [];
  while (items.length < limit) {
    if (queues.some((queue) => queue.taken === queue.entries.length && queue.more !== null)) break;
    let first: (typeof queues)[number] | undefined;
    let firstEntry: AuditEntry | undefined;
    for (const queue of queues) {
      const head = queue.entries[queue.taken];
      if (head && (!firstEntry || compareEntries(head, firstEntry) < 0)) {
        first = queue;
        firstEntry = head;
      }
    }
    if (!first || !firstEntry) break;
    items.push(firstEntry);
    first.taken += 1;
  }

  const next: Record<string, ServicePosition> = {};
  for (const queue of queues) {
    if (queue.taken < queue.entries.length) {
      next[queue.service] = { cursor: queue.at.cursor, skip: queue.at.skip + queue.taken };
    } else if (queue.more !== null) {
      next[queue.service] = { cursor: queue.more, skip: 0 };
    }
  }
  return { items, next: Object.keys(next).length > 0 ? next : null };
}

function compareEntries(a: AuditEntry, b: AuditEntry): number {
  return (
    Date.parse(a.recorded_at) - Date.parse(b.recorded_at) ||
    a.service.localeCompare(b.service) ||
    a.position - b.position
  );
}

/** The merged position as one opaque cursor for clients. */
export function encodeAuditCursor(position: AuditPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeAuditCursor(cursor: string, services: readonly string[]): AuditPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw ApiError.validation('cursor is not a cursor of this listing');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw ApiError.validation('cursor is not a cursor of this listing');
  }
  const position: Record<string, ServicePosition> = {};
  for (const [service, at] of Object.entries(decoded)) {
    if (!services.includes(service) || !isServicePosition(at)) {
      throw ApiError.validation('cursor is not a cursor of this listing');
    }
    position[service] = { cursor: at.cursor, skip: at.skip };
  }
  return position;
}

function isServicePosition(value: unknown): value is ServicePosition {
  if (typeof value !== 'object' || value === null) return false;
  const { cursor, skip } = value as Record<string, unknown>;
  return (
    (cursor === null || typeof cursor === 'string') &&
    typeof skip === 'number' &&
    Number.isInteger(skip) &&
    skip >= 0 &&
    skip <= 100
  );
}
