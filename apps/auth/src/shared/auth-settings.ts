import type { AuthConfig } from '../config';

/** The settings the auth slices read, resolved once from the validated config. */
export class AuthSettings {
  constructor(
    readonly config: AuthConfig,
    readonly keyEncryptionKey: Buffer,
  ) {}
}
