import { invalid, type PageRequest } from '@scriptripper/contracts';

/** `limit` 1..100, default 50. */
export function pageLimit(request: PageRequest): number {
  const limit = request.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid('limit must be between 1 and 100');
  return limit;
}

/** Cursors are opaque to clients: base64url of the last item's sort key (one or more strings). */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key of a cursor this service gave out, with `parts` strings; null when there is none. */
export function decodeCursor(cursor: string | undefined, parts: number): string[] | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === parts && key.every((part) => typeof part === 'string')) {
      return key as string[];
    }
  } catch {
    // falls through to the refusal below
  }
  throw invalid('the cursor is not one this service gave out');
}
