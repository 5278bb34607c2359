/** A stored blob: its name is the sha256 (lowercase hex) of its content. */
export interface BlobRef {
  /** `blob://sha256/<hex>`: what messages and artifact rows carry. */
  readonly uri: string;
  readonly sha256: string;
  readonly size: number;
}

/** A blob's uri, its bare sha256, or its ref. */
export type BlobId = BlobRef | string;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const URI_PREFIX = 'blob://sha256/';

export class InvalidBlobIdError extends Error {
  constructor(readonly given: string) {
    super(
      `Not a blob id: expected "blob://sha256/<64 lowercase hex>" or the bare hex, got ${JSON.stringify(given.slice(0, 100))}`,
    );
    this.name = 'InvalidBlobIdError';
  }
}

export function blobUri(sha256: string): string {
  return `${URI_PREFIX}${sha256}`;
}

/**
 * The sha256 of a blob id, refusing anything else: the hex becomes a file name, so only
 * exactly 64 lowercase hex digits may pass (no separators, no `..`).
 */
export function sha256Of(id: BlobId): string {
  const text = typeof id === 'string' ? id : id.sha256;
  const hex = text.startsWith(URI_PREFIX) ? text.slice(URI_PREFIX.length) : text;
  if (!SHA256_HEX.test(hex)) throw new InvalidBlobIdError(text);
  return hex;
}
