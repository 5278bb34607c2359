import { decide, evolve, initialUserState, revokesForReuse, type UserCommand } from './user.aggregate';
import type { UserEvent } from './user.events';

const given = (...events: UserEvent[]) => events.reduce(evolve, initialUserState);
const when = (events: UserEvent[], command: UserCommand) => decide(given(...events), command);

const refresh = (tokenId: string, expiresAt = '2030-01-01T00:00:00.000Z') => ({
  tokenId,
  tokenHash: `hash-${tokenId}`,
  expiresAt,
});
const linkRequested: UserEvent = {
  type: 'MagicLinkRequested',
  data: { link_id: 'l1', token_hash: 'h1', email: 'pd1:email', expires_at: '2026-01-01T00:15:00.000Z' },
};
const registered: UserEvent = {
  type: 'UserRegistered',
  data: { email: 'pd1:email', name: null, role: 'user' },
};
const signedIn: UserEvent = {
  type: 'UserSignedIn',
  data: {
    method: 'magic-link',
    link_id: 'l1',
    session_id: 's1',
    refresh_token_id: 'r1',
    refresh_token_hash: 'hash-r1',
    refresh_expires_at: '2030-01-01T00:00:00.000Z',
  },
};
const rotated: UserEvent = {
  type: 'RefreshTokenRotated',
  data: {
    session_id: 's1',
    used_token_id: 'r1',
    refresh_token_id: 'r2',
    refresh_token_hash: 'hash-r2',
    refresh_expires_at: '2030-01-01T00:00:00.000Z',
  },
};
const signInWithLink = (now = '2026-01-01T00:05:00.000Z'): UserCommand => ({
  type: 'SignInWithMagicLink',
  linkId: 'l1',
  now,
  role: 'admin',
  sessionId: 's1',
  refreshToken: refresh('r1'),
});

describe('user aggregate', () => {
  describe('magic links', () => {
    it('registers the user with the link email and role on first sign-in', () => {
      const events = when([linkRequested], signInWithLink());
      expect(events.map((e) => e.type)).toEqual(['UserRegistered', 'UserSignedIn']);
      expect(events[0]?.data).toEqual({ email: 'pd1:email', name: null, role: 'admin' });
    });

    it('signs a registered user in without registering again', () => {
      expect(when([linkRequested, registered], signInWithLink()).map((e) => e.type)).toEqual([
        'UserSignedIn',
      ]);
    });

    it('refuses a link used once already', () => {
      expect(() => when([linkRequested, registered, signedIn], signInWithLink())).toThrow(
        /invalid, used or expired/,
      );
    });

    it('refuses an expired link', () => {
      expect(() => when([linkRequested], signInWithLink('2026-01-01T00:15:00.000Z'))).toThrow(/expired/);
    });

    it('refuses a link it never issued', () => {
      expect(() => when([], signInWithLink())).toThrow(/invalid/);
    });
  });

  describe('refresh tokens', () => {
    const rotate = (presentedTokenId: string, now = '2026-01-02T00:00:00.000Z'): UserCommand => ({
      type: 'RotateRefreshToken',
      sessionId: 's1',
      presentedTokenId,
      now,
      next: refresh('r3'),
    });

    it('exchanges the current token for a new one', () => {
      const [event] = when([linkRequested, registered, signedIn], rotate('r1'));
      expect(event).toMatchObject({
        type: 'RefreshTokenRotated',
        data: { used_token_id: 'r1', refresh_token_id: 'r3' },
      });
    });

    it('revokes the whole family when a used token comes back', () => {
      const events = when([linkRequested, registered, signedIn, rotated], rotate('r1'));
      expect(events).toEqual([
        { type: 'SessionRevoked', data: { session_id: 's1', reason: 'refresh-token-reuse' } },
      ]);
      expect(revokesForReuse(events)).toBe(true);
    });

    it('refuses every token of a revoked family, the newest too', () => {
      const revoked: UserEvent = {
        type: 'SessionRevoked',
        data: { session_id: 's1', reason: 'refresh-token-reuse' },
      };
      expect(() => when([linkRequested, registered, signedIn, rotated, revoked], rotate('r2'))).toThrow(
        /no longer valid/,
      );
    });

    it('refuses an expired refresh token', () => {
      expect(() =>
        when([linkRequested, registered, signedIn], rotate('r1', '2031-01-01T00:00:00.000Z')),
      ).toThrow(/no longer valid/);
    });

    it('signs out once; a second sign-out changes nothing', () => {
      const history = [linkRequested, registered, signedIn];
      const events = when(history, { type: 'SignOut', sessionId: 's1' });
      expect(events).toEqual([{ type: 'SessionRevoked', data: { session_id: 's1', reason: 'sign-out' } }]);
      expect(when([...history, ...events], { type: 'SignOut', sessionId: 's1' })).toEqual([]);
    });
  });

  describe('roles, API tokens and purge', () => {
    it('records a role change and ignores a change to the same role', () => {
      expect(when([registered], { type: 'ChangeRole', role: 'admin' })).toEqual([
        { type: 'RoleChanged', data: { from: 'user', to: 'admin' } },
      ]);
      expect(when([registered], { type: 'ChangeRole', role: 'user' })).toEqual([]);
    });

    it('ensures the configured admin: registers a newcomer as admin, promotes a user, leaves an admin be', () => {
      expect(when([], { type: 'EnsureAdmin', email: 'pd1:admin' })).toEqual([
        { type: 'UserRegistered', data: { email: 'pd1:admin', name: null, role: 'admin' } },
      ]);
      expect(when([registered], { type: 'EnsureAdmin', email: 'pd1:admin' })).toEqual([
        { type: 'RoleChanged', data: { from: 'user', to: 'admin' } },
      ]);
      const promoted: UserEvent = { type: 'RoleChanged', data: { from: 'user', to: 'admin' } };
      expect(when([registered, promoted], { type: 'EnsureAdmin', email: 'pd1:admin' })).toEqual([]);
    });

    it('revokes an API token once and refuses an unknown one', () => {
      const issued: UserEvent = {
        type: 'ApiTokenIssued',
        data: { token_id: 't1', name: 'cli', scopes: ['jobs:read'], token_hash: 'h', expires_at: null },
      };
      expect(when([registered, issued], { type: 'RevokeApiToken', tokenId: 't1' })).toEqual([
        { type: 'ApiTokenRevoked', data: { token_id: 't1' } },
      ]);
      const revoked: UserEvent = { type: 'ApiTokenRevoked', data: { token_id: 't1' } };
      expect(when([registered, issued, revoked], { type: 'RevokeApiToken', tokenId: 't1' })).toEqual([]);
      expect(() => when([registered], { type: 'RevokeApiToken', tokenId: 'nope' })).toThrow(
        /no such API token/,
      );
    });

    it('refuses every command after the user was purged', () => {
      const purged: UserEvent = { type: 'UserPurged', data: { user_id: 'u1' } };
      expect(() => when([registered, purged], { type: 'ChangeRole', role: 'admin' })).toThrow(/no such user/);
      expect(() => when([registered, purged], signInWithLink())).toThrow(/no such user/);
    });

    it('refuses to issue an API token to a user not registered yet', () => {
      expect(() =>
        when([linkRequested], {
          type: 'IssueApiToken',
          tokenId: 't1',
          name: 'cli',
          scopes: [],
          tokenHash: 'h',
          expiresAt: null,
          parentTokenId: null,
        }),
      ).toThrow(/no such user/);
    });
  });

  describe('API tokens made with API tokens', () => {
    const issued = (tokenId: string, parent: string | null): UserEvent => ({
      type: 'ApiTokenIssued',
      data: {
        token_id: tokenId,
        name: tokenId,
        scopes: ['jobs:read'],
        token_hash: `h-${tokenId}`,
        expires_at: null,
        parent_token_id: parent,
      },
    });
    const issue = (tokenId: string, parentTokenId: string | null): UserCommand => ({
      type: 'IssueApiToken',
      tokenId,
      name: tokenId,
      scopes: ['jobs:read'],
      tokenHash: `h-${tokenId}`,
      expiresAt: null,
      parentTokenId,
    });

    it('records the parent a token was made with', () => {
      const [event] = when([registered, issued('t1', null)], issue('t2', 't1'));
      expect(event).toMatchObject({
        type: 'ApiTokenIssued',
        data: { token_id: 't2', parent_token_id: 't1' },
      });
    });

    it('refuses to make a token with a revoked or unknown parent', () => {
      const revoked: UserEvent = { type: 'ApiTokenRevoked', data: { token_id: 't1' } };
      expect(() => when([registered, issued('t1', null), revoked], issue('t2', 't1'))).toThrow(/not valid/);
      expect(() => when([registered], issue('t2', 'nope'))).toThrow(/not valid/);
    });

    it('revokes every descendant with the token, and only them', () => {
      const events = when(
        [registered, issued('t1', null), issued('t2', 't1'), issued('t3', 't2'), issued('other', null)],
        { type: 'RevokeApiToken', tokenId: 't1' },
      );
      expect(events).toEqual([
        { type: 'ApiTokenRevoked', data: { token_id: 't1' } },
        { type: 'ApiTokenRevoked', data: { token_id: 't2', revoked_with: 't1' } },
        { type: 'ApiTokenRevoked', data: { token_id: 't3', revoked_with: 't1' } },
      ]);
    });

    it('takes a parent issued before parents were recorded as having none', () => {
      const legacy: UserEvent = {
        type: 'ApiTokenIssued',
        data: { token_id: 't1', name: 'old', scopes: ['jobs:read'], token_hash: 'h', expires_at: null },
      };
      expect(when([registered, legacy], { type: 'RevokeApiToken', tokenId: 't1' })).toEqual([
        { type: 'ApiTokenRevoked', data: { token_id: 't1' } },
      ]);
    });
  });
});
