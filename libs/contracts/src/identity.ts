/**
 * Identity contracts: what the gateway and the auth service say to each other over
 * `rpc:auth`, and what clients see over HTTP. Public DTOs are snake_case, as the HTTP API is,
 * so the gateway passes them through unchanged. The caller (actor) is never in a payload:
 * it travels in the message envelope, and services authorise on that.
 */

export const USER_ROLES = ['admin', 'user'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * API token scopes. A user's session (JWT) carries every scope of the user's role; an API token
 * carries only the scopes it was given when it was made. `account:admin` is the account's own
 * power (delete the account, make, list and revoke tokens): a session has it, a token only when
 * it was granted explicitly.
 */
export const Scopes = {
  jobsRead: 'jobs:read',
  jobsWrite: 'jobs:write',
  accountAdmin: 'account:admin',
  profilesAdmin: 'profiles:admin',
  usersAdmin: 'users:admin',
  auditRead: 'audit:read',
} as const;
export type Scope = (typeof Scopes)[keyof typeof Scopes];
export const ALL_SCOPES: readonly Scope[] = Object.values(Scopes);
export const SCOPES_BY_ROLE: Readonly<Record<UserRole, readonly Scope[]>> = {
  admin: ALL_SCOPES,
  user: [Scopes.jobsRead, Scopes.jobsWrite, Scopes.accountAdmin],
};

/** RPC patterns of the auth service (`<service>.<verb>`, on `rpc:auth`). */
export const AuthRpc = {
  requestMagicLink: 'auth.magic-link.request',
  verifyMagicLink: 'auth.magic-link.verify',
  startOidc: 'auth.oidc.start',
  completeOidc: 'auth.oidc.callback',
  refresh: 'auth.session.refresh',
  signOut: 'auth.session.sign-out',
  jwks: 'auth.jwks.get',
  verifyApiToken: 'auth.api-token.verify',
  /** Is the envelope actor's credential (session or API token) still good, and with which role? */
  checkCredential: 'auth.credential.check',
  createApiToken: 'auth.api-token.create',
  listApiTokens: 'auth.api-token.list',
  revokeApiToken: 'auth.api-token.revoke',
  me: 'auth.me.get',
  purgeMe: 'auth.me.purge',
  listUsers: 'auth.users.list',
  changeRole: 'auth.users.change-role',
} as const;

/** Every data service answers these on its own `rpc:<service>` stream: `<service>.audit.list`, `.verify`. */
export const auditRpc = (service: string) => ({
  list: `${service}.audit.list`,
  verify: `${service}.audit.verify`,
});

export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly role: UserRole;
  readonly created_at: string;
  readonly updated_at: string;
}

/** What a successful sign-in, magic-link verification, OIDC callback or refresh answers. */
export interface TokenPair {
  readonly token_type: 'Bearer';
  readonly access_token: string;
  /** Seconds until the access token expires. */
  readonly expires_in: number;
  /** Single use: a refresh answers a new one; reusing an old one revokes the whole family. */
  readonly refresh_token: string;
  readonly user: UserView;
}

export interface RequestMagicLinkRequest {
  readonly email: string;
}
/** Always the same answer, whether or not the address has an account (no enumeration). */
export interface RequestMagicLinkResponse {
  readonly accepted: true;
}
export interface VerifyMagicLinkRequest {
  readonly token: string;
}

export interface StartOidcRequest {
  /** Configured provider name; `google` by default. */
  readonly provider?: string;
  /** Where the identity provider sends the browser back (the gateway's callback URL). */
  readonly redirect_uri: string;
}
export interface StartOidcResponse {
  readonly authorization_url: string;
}
export interface CompleteOidcRequest {
  readonly provider?: string;
  readonly redirect_uri: string;
  /** The callback's query parameters as received (code, state, error, ...). */
  readonly params: Readonly<Record<string, string>>;
}

export interface RefreshRequest {
  readonly refresh_token: string;
}
export interface SignOutRequest {
  readonly refresh_token: string;
}

export interface JsonWebKeySet {
  readonly keys: readonly Readonly<Record<string, unknown>>[];
}

export interface VerifyApiTokenRequest {
  readonly token: string;
}
/** Who an API token acts for; the gateway caches it for a few seconds at most. */
export interface VerifiedApiToken {
  readonly token_id: string;
  readonly user_id: string;
  readonly role: UserRole;
  readonly scopes: readonly Scope[];
}

/** The actor's credential as auth's records (Postgres) have it now. */
export interface CheckedCredential {
  readonly user_id: string;
  readonly role: UserRole;
  readonly scopes: readonly Scope[];
}

export interface CreateApiTokenRequest {
  readonly name: string;
  readonly scopes: readonly Scope[];
  /**
   * ISO-8601; none means it lives until revoked, or, for a token made with an API token, until
   * that parent token expires (a child never outlives its parent).
   */
  readonly expires_at?: string;
}
export interface ApiTokenView {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly created_at: string;
  readonly expires_at: string | null;
  readonly last_used_at: string | null;
  readonly revoked_at: string | null;
  /** The API token this one was made with; revoking it revokes this one. */
  readonly parent_token_id: string | null;
}
/** The secret is shown once, here, and stored only as a hash. */
export interface CreatedApiToken extends ApiTokenView {
  readonly token: string;
}
export interface RevokeApiTokenRequest {
  readonly id: string;
}

export interface ChangeRoleRequest {
  readonly user_id: string;
  readonly role: UserRole;
}

/** Cursor pagination, everywhere: `limit` 1..100 (default 50), `cursor` opaque. */
export interface PageRequest {
  readonly cursor?: string;
  readonly limit?: number;
}
export interface Page<T> {
  readonly items: readonly T[];
  readonly next_cursor: string | null;
}

export interface AuditQuery extends PageRequest {
  readonly actor_id?: string;
  readonly type?: string;
  readonly correlation_id?: string;
  /** ISO-8601, inclusive. */
  readonly from?: string;
  /** ISO-8601, exclusive. */
  readonly to?: string;
}
export interface AuditEntry {
  readonly service: string;
  readonly position: number;
  readonly stream_id: string;
  readonly stream_type: string;
  readonly version: number;
  readonly type: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly correlation_id: string;
  readonly causation_id: string | null;
  readonly recorded_at: string;
  readonly hash: string;
}

/** Auth's events other services act on; they travel on `events:auth`. */
export const IdentityEvents = {
  /** The user asked to be forgotten: destroy your data key for them, delete their read-model rows. */
  userPurged: 'UserPurged',
} as const;

export interface UserPurgedEvent {
  readonly user_id: string;
}
