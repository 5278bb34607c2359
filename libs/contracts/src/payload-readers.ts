import { invalid } from './domain-error';
import type { ErrorBody } from './envelope';
import type { BlobReference } from './jobs';

/**
 * Readers of RPC and work-message payloads, shared by every service that checks them: each
 * answers the value in its checked form or refuses with VALIDATION_FAILED naming the field.
 * Services check payloads themselves, whatever the gateway checked before.
 */

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export const isUuid = (value: unknown): value is string =>
  typeof value === 'string' && UUID_PATTERN.test(value);

/** A UUID, lower-cased. */
export function uuidOf(value: unknown, name: string): string {
  if (!isUuid(value)) throw invalid(`${name} must be a UUID`);
  return value.toLowerCase();
}

/** A non-blank string of at most `maxLength` characters. */
export function textOf(value: unknown, name: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > maxLength) {
    throw invalid(`${name} must be a non-empty string of at most ${maxLength} characters`);
  }
  return value;
}

/** A sha256 in lowercase hex. */
export function sha256Of(value: unknown, name: string): string {
  if (typeof value !== 'string' || !SHA256_PATTERN.test(value))
    throw invalid(`${name} must be a sha256 in hex`);
  return value;
}

/** A blob reference whose uri names the sha256 it claims, so a record cannot point elsewhere. */
export function blobReferenceOf(value: unknown, name: string): BlobReference {
  const blob = value as Partial<BlobReference> | undefined;
  if (
    typeof blob?.sha256 !== 'string' ||
    !SHA256_PATTERN.test(blob.sha256) ||
    blob.uri !== `blob://sha256/${blob.sha256}` ||
    typeof blob.size !== 'number' ||
    !Number.isSafeInteger(blob.size) ||
    blob.size < 0
  ) {
    throw invalid(`${name} must be a blob reference { uri: blob://sha256/<hex>, sha256, size }`);
  }
  return { uri: blob.uri, sha256: blob.sha256, size: blob.size };
}

/** A failure as a peer reports it: `{ code, message, retryable }`. */
export function errorBodyOf(value: unknown, name = 'error'): ErrorBody {
  const error = value as Partial<ErrorBody> | undefined;
  if (typeof error?.retryable !== 'boolean') throw invalid(`${name}.retryable must be a boolean`);
  return {
    code: textOf(error.code, `${name}.code`, 100),
    message: textOf(error.message, `${name}.message`, 2_000),
    retryable: error.retryable,
  };
}
