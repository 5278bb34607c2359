import type { PageRequest } from '@scriptripper/contracts';
import { invalid } from './domain-error';

/** `limit` 1..100, default 50. */
export function pageLimit(request: PageRequest): number {
  const limit = request.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid('limit must be between 1 and 100');
  return limit;
}

/** Cursors are opaque to clients: base64url of the last item's sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify([key])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 1 && typeof key[0] === 'string') return key[0];
  } catch {
    // falls through to the refusal below
  }
  throw invalid('the cursor is not one this service gave out');
}
