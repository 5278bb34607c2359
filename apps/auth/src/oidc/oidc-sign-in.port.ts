import type { Actor, TokenPair } from '@scriptripper/contracts';

/** Who the provider vouched for, after the ID token and the verified email were checked. */
export interface OidcIdentity {
  /** Lower-cased; the provider said it is verified. */
  readonly email: string;
  readonly name: string | null;
  /** The configured provider name, e.g. `google`. */
  readonly provider: string;
  /** The provider's stable id of the person (`sub`). */
  readonly subject: string;
}

/** The request the sign-in belongs to: what the auth service records its events with. */
export interface OidcSignInContext {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly traceparent: string | null;
}

/**
 * What the rest of the auth service does with a verified identity: find or register the
 * user and start a session, the same path as a verified magic link.
 */
export interface OidcSignIn {
  signIn(identity: OidcIdentity, context: OidcSignInContext): Promise<TokenPair>;
}

/** Injection token of the `OidcSignIn` implementation that `OidcModule` is given. */
export const OIDC_SIGN_IN = Symbol('OIDC_SIGN_IN');
