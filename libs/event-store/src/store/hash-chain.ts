import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted recursively (by UTF-16 code units, as RFC 8785 does), no
 * whitespace, and values first normalised through JSON (dates become ISO strings, undefined
 * members disappear) so the hash of what was written equals the hash of what Postgres returns.
 */
export function canonicalJson(value: unknown): string {
  const normalised = JSON.stringify(value);
  return normalised === undefined ? 'null' : serialise(JSON.parse(normalised));
}

function serialise(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(serialise).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${serialise(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What one link of a stream's chain covers. `recorded_at` is included (so the time of an event
 * cannot be changed unnoticed), which is why the store sets it in code rather than by default.
 */
export interface HashedEventContent {
  readonly streamId: string;
  readonly streamType: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: Date;
}

/** `sha256(prev_hash || canonical JSON of the event)`, hex; the first event of a stream has no prev_hash. */
export function eventHash(prevHash: string | null, event: HashedEventContent): string {
  const content = canonicalJson({
    stream_id: event.streamId,
    stream_type: event.streamType,
    stream_version: event.streamVersion,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recorded_at: event.recordedAt.toISOString(),
  });
  return createHash('sha256')
    .update(prevHash ?? '')
    .update(content)
    .digest('hex');
}
