import { EntityManager } from '@mikro-orm/postgresql';
import {
  ALL_SCOPES,
  auditRpc,
  AuthRpc,
  credentialMarkerKeys,
  ErrorCodes,
  Streams,
  type Actor,
  type ApiTokenView,
  type AuditEntry,
  type CreatedApiToken,
  type JsonWebKeySet,
  type Page,
  type TokenPair,
  type UserView,
  type VerifiedApiToken,
} from '@scriptripper/contracts';
import { EventStore, type HashChainReport } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import Redis from 'ioredis';
import { AdminTokenIssuer } from './admin-token/admin-token.issuer';
import { CredentialMarkersWriter } from './credential/credential-markers.writer';
import { SigningKeyService } from './signing-key/signing-key.service';
import { sessionActorOf, startAuthTestApp, type AuthTestApp } from './test-support/auth-test-app';
import { userStreamId } from './user/user.events';

describe('the auth service over rpc:auth', () => {
  let auth: AuthTestApp;
  const userActor = (pair: TokenPair): Actor => sessionActorOf(pair);
  const signIn = async (email: string): Promise<TokenPair> => {
    const before = await auth.mailCount();
    await auth.call(AuthRpc.requestMagicLink, { email });
    const token = await auth.linkTokenFor(email.toLowerCase(), before);
    return auth.call<TokenPair>(AuthRpc.verifyMagicLink, { token });
  };
  const rows = (sql: string, params: unknown[] = []) =>
    auth.app.get(EntityManager).fork().getConnection().execute(sql, params);

  beforeAll(async () => {
    auth = await startAuthTestApp('auth_identity', {
      MAGIC_LINK_MAX_PER_WINDOW: '3',
      AUTH_KEY_GRACE_SECONDS: '60',
    });
  });

  afterEach(() => {
    auth.clock.reset();
  });

  afterAll(async () => {
    await auth?.close();
  });

  it('migrates to exactly the schema the entities describe', () => {
    expect(auth.driftAfterMigrations).toBe('');
  });

  describe('magic links', () => {
    it('signs in through the mailed link, registering the configured admin as admin', async () => {
      const pair = await signIn('Admin@example.com');
      expect(pair).toMatchObject({
        token_type: 'Bearer',
        user: { email: 'admin@example.com', role: 'admin' },
      });
      const claims = await auth.app.get(SigningKeyService).verifyAccessToken(pair.access_token);
      expect(claims).toMatchObject({ sub: pair.user.id, role: 'admin', scopes: ALL_SCOPES });
    });

    it('registers anyone else as a user, once, whatever the case of the address', async () => {
      const first = await signIn('Ada@Example.com');
      const second = await signIn('ada@example.com');
      expect(first.user).toMatchObject({ role: 'user', email: 'ada@example.com' });
      expect(second.user.id).toBe(first.user.id);
    });

    it('refuses a link used once already', async () => {
      const before = await auth.mailCount();
      await auth.call(AuthRpc.requestMagicLink, { email: 'once@example.com' });
      const token = await auth.linkTokenFor('once@example.com', before);
      await auth.call(AuthRpc.verifyMagicLink, { token });
      await expect(auth.call(AuthRpc.verifyMagicLink, { token })).rejects.toMatchObject({
        code: ErrorCodes.unauthorized,
      });
    });

    it('refuses an expired link', async () => {
      const before = await auth.mailCount();
      await auth.call(AuthRpc.requestMagicLink, { email: 'late@example.com' });
      const token = await auth.linkTokenFor('late@example.com', before);
      auth.clock.advance(16 * 60_000);
      await expect(auth.call(AuthRpc.verifyMagicLink, { token })).rejects.toMatchObject({
        code: ErrorCodes.unauthorized,
      });
    });

    it('limits the links sent to one address per window', async () => {
      for (let i = 0; i < 3; i++) await auth.call(AuthRpc.requestMagicLink, { email: 'busy@example.com' });
      await expect(auth.call(AuthRpc.requestMagicLink, { email: 'busy@example.com' })).rejects.toMatchObject({
        code: ErrorCodes.rateLimited,
      });
    });
  });

  describe('sessions', () => {
    it('rotates the refresh token, and a reused one revokes the whole family', async () => {
      const pair = await signIn('grace@example.com');
      const second = await auth.call<TokenPair>(AuthRpc.refresh, { refresh_token: pair.refresh_token });
      expect(second.refresh_token).not.toBe(pair.refresh_token);
      await expect(auth.call(AuthRpc.refresh, { refresh_token: pair.refresh_token })).rejects.toMatchObject({
        code: ErrorCodes.unauthorized,
        message: expect.stringMatching(/revoked/),
      });
      await expect(auth.call(AuthRpc.refresh, { refresh_token: second.refresh_token })).rejects.toMatchObject(
        {
          code: ErrorCodes.unauthorized,
        },
      );
    });

    it('signs out: the refresh token no longer works', async () => {
      const pair = await signIn('leaving@example.com');
      await auth.call(AuthRpc.signOut, { refresh_token: pair.refresh_token });
      await expect(auth.call(AuthRpc.refresh, { refresh_token: pair.refresh_token })).rejects.toMatchObject({
        code: ErrorCodes.unauthorized,
      });
    });
  });

  describe('signing keys', () => {
    it('keeps a retired key valid during its grace period and refuses it after', async () => {
      const keys = auth.app.get(SigningKeyService);
      const pair = await signIn('rotate@example.com');
      const oldKid = JSON.parse(
        Buffer.from(pair.access_token.split('.')[0] as string, 'base64url').toString(),
      ).kid;
      const newKid = await keys.rotateSigningKey();
      const published = await auth.call<JsonWebKeySet>(AuthRpc.jwks, {});
      expect(published.keys.map((key) => key['kid'])).toEqual(expect.arrayContaining([oldKid, newKid]));
      await expect(keys.verifyAccessToken(pair.access_token)).resolves.toMatchObject({ sub: pair.user.id });

      auth.clock.advance(61_000);
      const later = await auth.call<JsonWebKeySet>(AuthRpc.jwks, {});
      expect(later.keys.map((key) => key['kid'])).not.toContain(oldKid);
      await expect(keys.verifyAccessToken(pair.access_token)).rejects.toThrow();
      const fresh = await auth.call<TokenPair>(AuthRpc.refresh, { refresh_token: pair.refresh_token });
      await expect(keys.verifyAccessToken(fresh.access_token)).resolves.toMatchObject({ sub: pair.user.id });
    });
  });

  describe('API tokens', () => {
    it('issues a token shown once, verifies it, lists it, and refuses it once revoked', async () => {
      const pair = await signIn('script@example.com');
      const actor = userActor(pair);
      const created = await auth.call<CreatedApiToken>(
        AuthRpc.createApiToken,
        { name: 'ci', scopes: ['jobs:read'] },
        actor,
      );
      expect(created.token).toMatch(/^srt_[A-Za-z0-9_-]{43}$/);
      const verified = await auth.call<VerifiedApiToken>(AuthRpc.verifyApiToken, { token: created.token });
      expect(verified).toEqual({
        token_id: created.id,
        user_id: pair.user.id,
        role: 'user',
        scopes: ['jobs:read'],
      });

      const listed = await auth.call<Page<ApiTokenView>>(AuthRpc.listApiTokens, {}, actor);
      expect(listed.items.map((token) => token.id)).toEqual([created.id]);
      expect(JSON.stringify(listed)).not.toContain(created.token);
      expect(listed.items[0]?.last_used_at).not.toBeNull();

      await auth.call(AuthRpc.revokeApiToken, { id: created.id }, actor);
      await expect(auth.call(AuthRpc.verifyApiToken, { token: created.token })).rejects.toMatchObject({
        code: ErrorCodes.unauthorized,
      });
    });

    it("refuses scopes beyond the caller's role", async () => {
      const pair = await signIn('ambitious@example.com');
      await expect(
        auth.call(AuthRpc.createApiToken, { name: 'x', scopes: ['profiles:admin'] }, userActor(pair)),
      ).rejects.toMatchObject({ code: ErrorCodes.forbidden });
    });

    it("answers NOT_FOUND for revoking another user's token", async () => {
      const owner = await signIn('owner@example.com');
      const other = await signIn('other@example.com');
      const created = await auth.call<CreatedApiToken>(
        AuthRpc.createApiToken,
        { name: 'mine', scopes: ['jobs:read'] },
        userActor(owner),
      );
      await expect(
        auth.call(AuthRpc.revokeApiToken, { id: created.id }, userActor(other)),
      ).rejects.toMatchObject({
        code: ErrorCodes.notFound,
      });
    });

    it('refuses user-only requests from an anonymous caller', async () => {
      await expect(auth.call(AuthRpc.me, {})).rejects.toMatchObject({ code: ErrorCodes.unauthorized });
    });
  });

  describe('authority checked at use', () => {
    const tokenActor = (pair: TokenPair, created: CreatedApiToken, scopes: string[]): Actor => ({
      id: pair.user.id,
      role: pair.user.role,
      scopes,
      credential: { kind: 'api-token', token_id: created.id },
    });

    it('caps a token made with a token at its parent, records the parent and revokes it with the parent', async () => {
      const pair = await signIn('chain@example.com');
      const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
      const parent = await auth.call<CreatedApiToken>(
        AuthRpc.createApiToken,
        { name: 'parent', scopes: ['jobs:read', 'account:admin'], expires_at: inAnHour },
        userActor(pair),
      );
      const asParent = tokenActor(pair, parent, ['jobs:read', 'account:admin']);
      const child = await auth.call<CreatedApiToken>(
        AuthRpc.createApiToken,
        { name: 'forever', scopes: ['jobs:read'] },
        asParent,
      );
      expect(child).toMatchObject({ parent_token_id: parent.id, expires_at: parent.expires_at });
      const later = await auth.call<CreatedApiToken>(
        AuthRpc.createApiToken,
        { name: 'later', scopes: ['jobs:read'], expires_at: new Date(Date.now() + 86_400_000).toISOString() },
        asParent,
      );
      expect(later.expires_at).toBe(parent.expires_at);
      await expect(
        auth.call(AuthRpc.createApiToken, { name: 'wider', scopes: ['jobs:write'] }, asParent),
      ).rejects.toMatchObject({ code: ErrorCodes.forbidden });

      await auth.call(AuthRpc.revokeApiToken, { id: parent.id }, userActor(pair));
      for (const token of [parent, child, later]) {
        await expect(auth.call(AuthRpc.verifyApiToken, { token: token.token })).rejects.toMatchObject({
          code: ErrorCodes.unauthorized,
        });
      }
      const listed = await auth.call<Page<ApiTokenView>>(AuthRpc.listApiTokens, {}, userActor(pair));
      expect(listed.items.every((token) => token.revoked_at !== null)).toBe(true);
      await expect(
        auth.call(AuthRpc.createApiToken, { name: 'orphan', scopes: ['jobs:read'] }, asParent),
      ).rejects.toMatchObject({ code: ErrorCodes.unauthorized });
    });

    it('refuses account powers to a token not granted account:admin', async () => {
      const pair = await signIn('readonly@example.com');
      const reader = await auth.call<CreatedApiToken>(
        AuthRpc.createApiToken,
        { name: 'reader', scopes: ['jobs:read'] },
        userActor(pair),
      );
      const asReader = tokenActor(pair, reader, ['jobs:read']);
      for (const [pattern, data] of [
        [AuthRpc.createApiToken, { name: 'x', scopes: ['jobs:read'] }],
        [AuthRpc.listApiTokens, {}],
        [AuthRpc.revokeApiToken, { id: reader.id }],
        [AuthRpc.purgeMe, {}],
      ] as const) {
        await expect(auth.call(pattern, data, asReader)).rejects.toMatchObject({
          code: ErrorCodes.forbidden,
        });
      }
    });

    it("re-reads a demoted admin's role, and refuses a signed-out session, whatever the token claims", async () => {
      const issued = await auth.app.get(AdminTokenIssuer).issue();
      const verified = await auth.call<VerifiedApiToken>(AuthRpc.verifyApiToken, { token: issued.token });
      const admin: Actor = {
        id: verified.user_id,
        role: 'admin',
        scopes: [...verified.scopes],
        credential: { kind: 'api-token', token_id: verified.token_id },
      };
      const boss = await signIn('boss@example.com');
      await auth.call(AuthRpc.changeRole, { user_id: boss.user.id, role: 'admin' }, admin);
      const bossAsAdmin = userActor(await signIn('boss@example.com'));
      await expect(auth.call(AuthRpc.listUsers, {}, bossAsAdmin)).resolves.toMatchObject({
        items: expect.any(Array),
      });
      await auth.call(AuthRpc.changeRole, { user_id: boss.user.id, role: 'user' }, admin);

      // The access token still says admin; auth's records say otherwise.
      await expect(auth.call(AuthRpc.listUsers, {}, bossAsAdmin)).rejects.toMatchObject({
        code: ErrorCodes.unauthorized,
      });
      await expect(
        auth.call(AuthRpc.changeRole, { user_id: boss.user.id, role: 'admin' }, bossAsAdmin),
      ).rejects.toMatchObject({ code: ErrorCodes.unauthorized });
      await expect(auth.call(AuthRpc.checkCredential, {}, bossAsAdmin)).rejects.toMatchObject({
        code: ErrorCodes.unauthorized,
      });

      const leaver = await signIn('leaver@example.com');
      await expect(auth.call(AuthRpc.checkCredential, {}, userActor(leaver))).resolves.toMatchObject({
        role: 'user',
      });
      await auth.call(AuthRpc.signOut, { refresh_token: leaver.refresh_token });
      await expect(auth.call(AuthRpc.checkCredential, {}, userActor(leaver))).rejects.toMatchObject({
        code: ErrorCodes.unauthorized,
      });
    });

    it('marks ended sessions, role changes and purges in Redis for the gateway, and rebuilds lost markers', async () => {
      const keys = credentialMarkerKeys(auth.config.REDIS_KEY_PREFIX);
      const redis = new Redis(auth.config.REDIS_URL);
      try {
        const pair = await signIn('marked@example.com');
        const session = userActor(pair).credential;
        if (session?.kind !== 'session') throw new Error('expected a session credential');
        await auth.call(AuthRpc.signOut, { refresh_token: pair.refresh_token });
        expect(await redis.exists(keys.endedSession(session.session_id))).toBe(1);

        await redis.del(keys.epoch, keys.endedSession(session.session_id));
        await auth.app.get(CredentialMarkersWriter).rebuildIfLost();
        expect(await redis.exists(keys.endedSession(session.session_id))).toBe(1);
        expect(await redis.exists(keys.epoch)).toBe(1);
      } finally {
        redis.disconnect();
      }
    });
  });

  describe('administration', () => {
    it('lets an admin list users with a cursor and change a role; refuses a user', async () => {
      const admin = userActor(await signIn('admin@example.com'));
      const user = await signIn('promote@example.com');
      await expect(auth.call(AuthRpc.listUsers, {}, userActor(user))).rejects.toMatchObject({
        code: ErrorCodes.forbidden,
      });
      const first = await auth.call<Page<UserView>>(AuthRpc.listUsers, { limit: 1 }, admin);
      expect(first.items).toHaveLength(1);
      const second = await auth.call<Page<UserView>>(
        AuthRpc.listUsers,
        { limit: 1, cursor: first.next_cursor },
        admin,
      );
      expect(second.items[0]?.id).not.toBe(first.items[0]?.id);

      const changed = await auth.call<UserView>(
        AuthRpc.changeRole,
        { user_id: user.user.id, role: 'admin' },
        admin,
      );
      expect(changed.role).toBe('admin');
    });

    it('issues the configured admin an API token with every scope, promoting an existing user', async () => {
      const created = await auth.app.get(AdminTokenIssuer).issue();
      const verified = await auth.call<VerifiedApiToken>(AuthRpc.verifyApiToken, { token: created.token });
      expect(verified).toMatchObject({ role: 'admin', scopes: ALL_SCOPES });
      const me = await auth.call<UserView>(
        AuthRpc.me,
        {},
        { id: verified.user_id, role: 'admin', scopes: ALL_SCOPES },
      );
      expect(me.email).toBe('admin@example.com');
    });

    it('answers the audit to an admin only, without personal data', async () => {
      const admin = userActor(await signIn('admin@example.com'));
      const user = await signIn('audited@example.com');
      await expect(auth.call(auditRpc('auth').list, {}, userActor(user))).rejects.toMatchObject({
        code: ErrorCodes.forbidden,
      });
      const page = await auth.call<Page<AuditEntry>>(
        auditRpc('auth').list,
        { type: 'UserRegistered', limit: 100 },
        admin,
      );
      expect(page.items.some((entry) => entry.stream_id === userStreamId(user.user.id))).toBe(true);
      expect(JSON.stringify(page)).not.toContain('audited@example.com');
      const report = await auth.call<HashChainReport>(auditRpc('auth').verify, {}, admin);
      expect(report.ok).toBe(true);
    });
  });

  describe('purge', () => {
    it('shreds the personal data in the events, drops the read models, keeps the chain, and tells other services', async () => {
      const pair = await signIn('forget.me@example.com');
      const actor = userActor(pair);
      await auth.call(AuthRpc.createApiToken, { name: 'cli', scopes: ['jobs:read'] }, actor);
      await auth.call(AuthRpc.purgeMe, {}, actor);

      const events = await auth.app.get(EventStore).readStream(userStreamId(pair.user.id));
      const registered = events.find((event) => event.type === 'UserRegistered');
      const cipher = auth.app.get(PersonalDataCipher);
      expect(await cipher.decrypt(pair.user.id, (registered?.data as { email: string }).email)).toBeNull();
      expect(JSON.stringify(events)).not.toContain('forget.me');
      expect(events.at(-1)?.type).toBe('UserPurged');

      for (const table of ['users', 'api_tokens', 'refresh_tokens', 'magic_links']) {
        const column = table === 'users' ? 'id' : 'user_id';
        expect(await rows(`select 1 from auth.${table} where ${column} = ?`, [pair.user.id])).toEqual([]);
      }
      const outbox = await rows(
        `select destination, envelope from auth.outbox where envelope->>'type' = 'UserPurged'`,
      );
      expect(outbox).toEqual([
        expect.objectContaining({
          destination: Streams.events('auth'),
          envelope: expect.objectContaining({ data: { user_id: pair.user.id } }),
        }),
      ]);
      expect(await auth.app.get(EventStore).verifyHashChains()).toMatchObject({ ok: true });

      await expect(auth.call(AuthRpc.refresh, { refresh_token: pair.refresh_token })).rejects.toMatchObject({
        code: ErrorCodes.unauthorized,
      });
      const again = await signIn('forget.me@example.com');
      expect(again.user.id).not.toBe(pair.user.id);
    });
  });
});
