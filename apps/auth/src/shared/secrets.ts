import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: magic-link, refresh and API token secrets. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** How secrets are stored: high-entropy, so a plain sha256 is enough (no slow hash needed). */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
