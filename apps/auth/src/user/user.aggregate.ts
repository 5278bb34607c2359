import type { Scope, UserRole } from '@scriptripper/contracts';
import { DomainError, notFound, unauthorized } from '@scriptripper/contracts';
import type { UserEvent, UserEventMap } from './user.events';

/** A user as its own events tell it. Pure: `evolve` folds events, `decide` answers a command with new events. */
export interface UserState {
  readonly status: 'unknown' | 'pending' | 'registered' | 'purged';
  readonly role: UserRole;
  /** The email (ciphertext) of the latest magic link, used to register on first sign-in. */
  readonly pendingEmail: string | null;
  readonly links: ReadonlyMap<string, { readonly expiresAt: string; readonly used: boolean }>;
  readonly sessions: ReadonlyMap<string, SessionState>;
  readonly apiTokens: ReadonlyMap<string, ApiTokenState>;
}

export interface ApiTokenState {
  readonly revoked: boolean;
  /** The API token it was made with: revoked with it. */
  readonly parentTokenId: string | null;
}

export interface SessionState {
  readonly revoked: boolean;
  readonly currentTokenId: string;
  readonly currentExpiresAt: string;
  /** Refresh tokens of the family already exchanged: presenting one again is a theft signal. */
  readonly usedTokenIds: ReadonlySet<string>;
}

export const initialUserState: UserState = {
  status: 'unknown',
  role: 'user',
  pendingEmail: null,
  links: new Map(),
  sessions: new Map(),
  apiTokens: new Map(),
};

/** A new refresh token, its secret already hashed. */
export interface IssuedRefreshToken {
  readonly tokenId: string;
  readonly tokenHash: string;
  readonly expiresAt: string;
}

export type UserCommand =
  | {
      readonly type: 'RequestMagicLink';
      readonly linkId: string;
      readonly tokenHash: string;
      readonly email: string;
      readonly expiresAt: string;
    }
  | {
      readonly type: 'SignInWithMagicLink';
      readonly linkId: string;
      readonly now: string;
      /** The role to register with, on first sign-in. */
      readonly role: UserRole;
      readonly sessionId: string;
      readonly refreshToken: IssuedRefreshToken;
    }
  | {
      readonly type: 'SignInWithVerifiedEmail';
      readonly email: string;
      readonly name: string | null;
      readonly role: UserRole;
      readonly sessionId: string;
      readonly refreshToken: IssuedRefreshToken;
    }
  | {
      readonly type: 'RotateRefreshToken';
      readonly sessionId: string;
      readonly presentedTokenId: string;
      readonly now: string;
      readonly next: IssuedRefreshToken;
    }
  | { readonly type: 'SignOut'; readonly sessionId: string }
  | { readonly type: 'ChangeRole'; readonly role: UserRole }
  /** The configured first admin: registered if new, made admin if not already. */
  | { readonly type: 'EnsureAdmin'; readonly email: string }
  | {
      readonly type: 'IssueApiToken';
      readonly tokenId: string;
      readonly name: string;
      readonly scopes: readonly Scope[];
      readonly tokenHash: string;
      readonly expiresAt: string | null;
      /** The API token the request came with; null for a signed-in person's session. */
      readonly parentTokenId: string | null;
    }
  | { readonly type: 'RevokeApiToken'; readonly tokenId: string }
  | { readonly type: 'Purge'; readonly userId: string };

export function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'MagicLinkRequested':
      return {
        ...state,
        status: state.status === 'unknown' ? 'pending' : state.status,
        pendingEmail: event.data.email,
        links: withEntry(state.links, event.data.link_id, { expiresAt: event.data.expires_at, used: false }),
      };
    case 'UserRegistered':
      return { ...state, status: 'registered', role: event.data.role, pendingEmail: null };
    case 'UserSignedIn': {
      const link = event.data.link_id ? state.links.get(event.data.link_id) : undefined;
      return {
        ...state,
        links:
          link && event.data.link_id
            ? withEntry(state.links, event.data.link_id, { ...link, used: true })
            : state.links,
        sessions: withEntry(state.sessions, event.data.session_id, {
          revoked: false,
          currentTokenId: event.data.refresh_token_id,
          currentExpiresAt: event.data.refresh_expires_at,
          usedTokenIds: new Set(),
        }),
      };
    }
    case 'RefreshTokenRotated': {
      const session = state.sessions.get(event.data.session_id);
      if (!session) return state;
      return {
        ...state,
        sessions: withEntry(state.sessions, event.data.session_id, {
          ...session,
          currentTokenId: event.data.refresh_token_id,
          currentExpiresAt: event.data.refresh_expires_at,
          usedTokenIds: new Set([...session.usedTokenIds, event.data.used_token_id]),
        }),
      };
    }
    case 'SessionRevoked': {
      const session = state.sessions.get(event.data.session_id);
      if (!session) return state;
      return {
        ...state,
        sessions: withEntry(state.sessions, event.data.session_id, { ...session, revoked: true }),
      };
    }
    case 'RoleChanged':
      return { ...state, role: event.data.to };
    case 'ApiTokenIssued':
      return {
        ...state,
        apiTokens: withEntry(state.apiTokens, event.data.token_id, {
          revoked: false,
          parentTokenId: event.data.parent_token_id ?? null,
        }),
      };
    case 'ApiTokenRevoked': {
      const token = state.apiTokens.get(event.data.token_id);
      if (!token) return state;
      return {
        ...state,
        apiTokens: withEntry(state.apiTokens, event.data.token_id, { ...token, revoked: true }),
      };
    }
    case 'UserPurged':
      return { ...initialUserState, status: 'purged' };
  }
}

export function decide(state: UserState, command: UserCommand): UserEvent[] {
  if (state.status === 'purged') throw notFound('no such user');
  switch (command.type) {
    case 'RequestMagicLink':
      return [
        event('MagicLinkRequested', {
          link_id: command.linkId,
          token_hash: command.tokenHash,
          email: command.email,
          expires_at: command.expiresAt,
        }),
      ];
    case 'SignInWithMagicLink': {
      const link = state.links.get(command.linkId);
      if (!link || link.used || link.expiresAt <= command.now) {
        throw unauthorized('the sign-in link is invalid, used or expired');
      }
      return [
        ...registration(state, state.pendingEmail, null, command.role),
        signedIn('magic-link', command.linkId, command.sessionId, command.refreshToken),
      ];
    }
    case 'SignInWithVerifiedEmail':
      return [
        ...registration(state, command.email, command.name, command.role),
        signedIn('oidc', null, command.sessionId, command.refreshToken),
      ];
    case 'RotateRefreshToken': {
      const session = state.sessions.get(command.sessionId);
      if (!session || session.revoked) throw unauthorized('the refresh token is no longer valid');
      if (session.usedTokenIds.has(command.presentedTokenId)) {
        return [event('SessionRevoked', { session_id: command.sessionId, reason: 'refresh-token-reuse' })];
      }
      if (session.currentTokenId !== command.presentedTokenId || session.currentExpiresAt <= command.now) {
        throw unauthorized('the refresh token is no longer valid');
      }
      return [
        event('RefreshTokenRotated', {
          session_id: command.sessionId,
          used_token_id: command.presentedTokenId,
          refresh_token_id: command.next.tokenId,
          refresh_token_hash: command.next.tokenHash,
          refresh_expires_at: command.next.expiresAt,
        }),
      ];
    }
    case 'SignOut': {
      const session = state.sessions.get(command.sessionId);
      if (!session || session.revoked) return [];
      return [event('SessionRevoked', { session_id: command.sessionId, reason: 'sign-out' })];
    }
    case 'ChangeRole':
      requireRegistered(state);
      return state.role === command.role
        ? []
        : [event('RoleChanged', { from: state.role, to: command.role })];
    case 'EnsureAdmin':
      if (state.status !== 'registered') return registration(state, command.email, null, 'admin');
      return state.role === 'admin' ? [] : [event('RoleChanged', { from: state.role, to: 'admin' })];
    case 'IssueApiToken': {
      requireRegistered(state);
      const parent = command.parentTokenId === null ? null : state.apiTokens.get(command.parentTokenId);
      if (parent === undefined || parent?.revoked) throw unauthorized('the API token is not valid');
      return [
        event('ApiTokenIssued', {
          token_id: command.tokenId,
          name: command.name,
          scopes: [...command.scopes],
          token_hash: command.tokenHash,
          expires_at: command.expiresAt,
          parent_token_id: command.parentTokenId,
        }),
      ];
    }
    case 'RevokeApiToken': {
      const token = state.apiTokens.get(command.tokenId);
      if (!token) throw notFound('no such API token');
      const descendants = descendantsOf(state.apiTokens, command.tokenId).filter(
        (tokenId) => !state.apiTokens.get(tokenId)?.revoked,
      );
      return [
        ...(token.revoked ? [] : [event('ApiTokenRevoked', { token_id: command.tokenId })]),
        ...descendants.map((tokenId) =>
          event('ApiTokenRevoked', { token_id: tokenId, revoked_with: command.tokenId }),
        ),
      ];
    }
    case 'Purge':
      requireRegistered(state);
      return [event('UserPurged', { user_id: command.userId })];
  }
}

/** The outcome of a refresh that revoked its session: the caller must answer UNAUTHORIZED after recording it. */
export function revokesForReuse(events: readonly UserEvent[]): boolean {
  return events.some((e) => e.type === 'SessionRevoked' && e.data.reason === 'refresh-token-reuse');
}

function registration(
  state: UserState,
  email: string | null,
  name: string | null,
  role: UserRole,
): UserEvent[] {
  if (state.status === 'registered') return [];
  if (!email) throw new DomainError('INTERNAL', 'a first sign-in needs the email to register');
  return [event('UserRegistered', { email, name, role })];
}

function signedIn(
  method: 'magic-link' | 'oidc',
  linkId: string | null,
  sessionId: string,
  token: IssuedRefreshToken,
): UserEvent {
  return event('UserSignedIn', {
    method,
    link_id: linkId,
    session_id: sessionId,
    refresh_token_id: token.tokenId,
    refresh_token_hash: token.tokenHash,
    refresh_expires_at: token.expiresAt,
  });
}

/** Every token made, directly or through others, with this one. */
function descendantsOf(tokens: ReadonlyMap<string, ApiTokenState>, tokenId: string): string[] {
  const found: string[] = [];
  const pending = [tokenId];
  while (pending.length > 0) {
    const parent = pending.pop();
    for (const [id, token] of tokens) {
      if (token.parentTokenId === parent && !found.includes(id)) {
        found.push(id);
        pending.push(id);
      }
    }
  }
  return found;
}

function requireRegistered(state: UserState): void {
  if (state.status !== 'registered') throw notFound('no such user');
}

function event<K extends keyof UserEventMap>(type: K, data: UserEventMap[K]): UserEvent {
  return { type, data } as UserEvent;
}

function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  return new Map(map).set(key, value);
}
