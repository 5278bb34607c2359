/** Key ids travel in URLs: short and URL-safe. */
export const SIGNING_KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MIN_KEY_BYTES = 32;

/** The keys that verify download URLs by id, and the one that signs new ones. */
export interface SigningKeys {
  readonly currentKeyId: string;
  readonly byId: ReadonlyMap<string, Buffer>;
}

export function isSigningKey(value: unknown): boolean {
  return (
    typeof value === 'string' && BASE64.test(value) && Buffer.from(value, 'base64').length >= MIN_KEY_BYTES
  );
}

export function isSigningKeyMap(value: unknown): boolean {
  const parsed = parseKeyMap(value);
  return (
    parsed !== null &&
    Object.entries(parsed).every(([id, key]) => SIGNING_KEY_ID.test(id) && isSigningKey(key))
  );
}

/** The current key and the retired ones; the current one wins should a retired one carry its id. */
export function signingKeysOf(settings: {
  readonly DOWNLOAD_SIGNING_KEY: string;
  readonly DOWNLOAD_SIGNING_KEY_ID: string;
  readonly DOWNLOAD_SIGNING_PREVIOUS_KEYS?: string | undefined;
}): SigningKeys {
  const previous = parseKeyMap(settings.DOWNLOAD_SIGNING_PREVIOUS_KEYS ?? '{}') ?? {};
  const byId = new Map<string, Buffer>(
    Object.entries(previous).map(([id, key]) => [id, Buffer.from(String(key), 'base64')]),
  );
  byId.set(settings.DOWNLOAD_SIGNING_KEY_ID, Buffer.from(settings.DOWNLOAD_SIGNING_KEY, 'base64'));
  return { currentKeyId: settings.DOWNLOAD_SIGNING_KEY_ID, byId };
}

function parseKeyMap(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
