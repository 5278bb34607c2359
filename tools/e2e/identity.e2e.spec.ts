import { decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import {
  ErrorCodes,
  type AuditEntry,
  type CreatedApiToken,
  type Page,
  type TokenPair,
  type UserView,
} from '@scriptripper/contracts';
import { pollUntil } from '../dev/test-support/node-processes';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { magicLinkFor } from './test-support/mailbox';

interface Answer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

interface RequestOptions {
  readonly method?: string;
  readonly token?: string;
  readonly body?: unknown;
  /** The client's address, as the (trusted, loopback) proxy in front of the gateway says. */
  readonly ip: string;
  readonly requestId?: string;
}

const ADMIN_EMAIL = 'admin@identity-e2e.test';
const SIGN_IN_LIMIT = 6;
const KEY_GRACE_SECONDS = 10;

const errorShape = (code: string) => ({
  error: { code, message: expect.any(String), retryable: expect.any(Boolean) },
});

/**
 * Identity and the gateway end to end: the real auth, profiles, jobs, artifacts and gateway
 * processes from dist/, a real SMTP sink, and every step through the gateway's HTTP API as a
 * client would take it. Each test acts from its own client address, so per-IP limits of one
 * test never touch another.
 */
describe('identity through the gateway', () => {
  let stack: IdentityStack;
  let adminToken: string;
  let clientNumber = 0;
  const mailsSeen = new Map<string, number>();

  /** A client address of its own (TEST-NET-2), for one test's per-IP limits. */
  const newClientIp = () => `198.51.100.${++clientNumber}`;

  async function api<T = unknown>(path: string, options: RequestOptions): Promise<Answer<T>> {
    const headers: Record<string, string> = { 'x-forwarded-for': options.ip };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.requestId) headers['x-request-id'] = options.requestId;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${stack.gatewayUrl}/api/v1${path}`, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }

  /** Asks for a magic link, waits for its mail, and opens the link: a new session. */
  async function signIn(email: string, ip: string): Promise<TokenPair> {
    const requested = await api('/auth/magic-link', { method: 'POST', body: { email }, ip });
    expect(requested.status).toBe(202);
    const count = (mailsSeen.get(email) ?? 0) + 1;
    mailsSeen.set(email, count);
    const link = await magicLinkFor(stack.mailFolder, email, count);
    const verified = await api<TokenPair>(`/auth/magic-link/verify${link.search}`, { ip });
    expect(verified.status).toBe(200);
    return verified.body;
  }

  const meWith = (token: string, ip: string) => api<UserView>('/me', { token, ip });

  beforeAll(async () => {
    stack = await startIdentityStack('identity_e2e', {
      adminEmail: ADMIN_EMAIL,
      auth: { AUTH_KEY_GRACE_SECONDS: String(KEY_GRACE_SECONDS) },
      gateway: {
        TRUST_PROXY: '127.0.0.1',
        RATE_LIMIT_SIGN_IN: String(SIGN_IN_LIMIT),
        JWKS_MAX_AGE_MS: '1000',
        JWKS_REFETCH_MIN_INTERVAL_MS: '100',
      },
    });
    const issued = await stack.runAuthOperation('apps/auth/src/issue-admin-token.js');
    adminToken = String(issued['token']);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('signs in by a mailed magic link once, and refuses the same link again', async () => {
    const ip = newClientIp();
    const email = 'ada@identity-e2e.test';
    expect((await api('/auth/magic-link', { method: 'POST', body: { email }, ip })).status).toBe(202);
    const link = await magicLinkFor(stack.mailFolder, email);
    expect(link.origin).toBe(stack.gatewayUrl);

    const verify = () => api<TokenPair>(`/auth/magic-link/verify${link.search}`, { ip });
    const first = await verify();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      token_type: 'Bearer',
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_in: expect.any(Number),
      user: { email, role: 'user' },
    });
    const me = await meWith(first.body.access_token, ip);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: first.body.user.id, email, role: 'user' });

    const again = await verify();
    expect(again.status).toBe(401);
    expect(again.body).toEqual(errorShape(ErrorCodes.unauthorized));
  });

  it('refuses forged, unsigned and foreign-signed access tokens', async () => {
    const ip = newClientIp();
    const { access_token: genuine } = await signIn('forger@identity-e2e.test', ip);
    expect((await meWith(genuine, ip)).status).toBe(200);
    const [header = '', payload = '', signature = ''] = genuine.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const { kid } = decodeProtectedHeader(genuine);

    const forged = `${header}.${encode({ ...claims, role: 'admin', scopes: ['users:admin'] })}.${signature}`;
    const unsigned = `${encode({ alg: 'none', typ: 'JWT', kid })}.${payload}.`;
    const { privateKey } = await generateKeyPair('ES256');
    const signWithForeignKey = (keyId: string | undefined) =>
      new SignJWT({ role: 'admin', scopes: ['users:admin'], sid: claims['sid'] })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(keyId ? { kid: keyId } : {}) })
        .setSubject(String(claims['sub']))
        .setIssuer('scriptripper-auth')
        .setAudience('scriptripper')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
    const unknownKey = await signWithForeignKey('a-key-auth-never-published');
    const impostorKey = await signWithForeignKey(kid);

    for (const token of [forged, unsigned, unknownKey, impostorKey]) {
      const refused = await api('/admin/users', { token, ip });
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual(errorShape(ErrorCodes.unauthorized));
    }
  });

  it('rotates refresh tokens, revokes the whole family when an old one is reused, and signs out', async () => {
    const ip = newClientIp();
    const first = await signIn('reuse@identity-e2e.test', ip);
    const refresh = (refreshToken: string) =>
      api<TokenPair>('/auth/refresh', { method: 'POST', body: { refresh_token: refreshToken }, ip });

    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await meWith(second.body.access_token, ip)).status).toBe(200);

    const reused = await refresh(first.refresh_token);
    expect(reused.status).toBe(401);
    expect(reused.body).toEqual(errorShape(ErrorCodes.unauthorized));
    const newest = await refresh(second.body.refresh_token);
    expect(newest.status).toBe(401);

    const other = await signIn('reuse@identity-e2e.test', ip);
    const signedOut = await api('/auth/sign-out', {
      method: 'POST',
      token: other.access_token,
      body: { refresh_token: other.refresh_token },
      ip,
    });
    expect(signedOut.status).toBe(204);
    expect((await refresh(other.refresh_token)).status).toBe(401);
  });

  it('lets an API token act within its scopes only, and refuses it within seconds of its revocation', async () => {
    const ip = newClientIp();
    const created = await api<CreatedApiToken>('/tokens', {
      method: 'POST',
      token: adminToken,
      body: { name: 'read jobs', scopes: ['jobs:read'] },
      ip,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'read jobs', scopes: ['jobs:read'], revoked_at: null });
    expect(created.body.token).toMatch(/^srt_[A-Za-z0-9_-]{43}$/);
    const listed = await api<Page<Record<string, unknown>>>('/tokens', { token: adminToken, ip });
    const shown = listed.body.items.find((item) => item['id'] === created.body.id);
    expect(shown).toBeDefined();
    expect(shown).not.toHaveProperty('token');

    const token = created.body.token;
    const me = await meWith(token, ip);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
    // The owner is an admin; the token lacks the scopes the admin routes need.
    for (const path of ['/admin/users', '/audit']) {
      const refused = await api(path, { token, ip });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual(errorShape(ErrorCodes.forbidden));
    }

    const revoked = await api(`/tokens/${created.body.id}`, { method: 'DELETE', token: adminToken, ip });
    expect(revoked.status).toBe(204);
    const refused = await pollUntil(
      'the revoked API token refused',
      async () => {
        const answer = await meWith(token, ip);
        return answer.status === 200 ? undefined : answer;
      },
      30_000,
    );
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(errorShape(ErrorCodes.unauthorized));
  });

  it("refuses a User on the admin routes, and lets the admin list users and change a user's role", async () => {
    const ip = newClientIp();
    const user = await signIn('grace.user@identity-e2e.test', ip);
    for (const path of ['/admin/users', '/audit']) {
      const refused = await api(path, { token: user.access_token, ip });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual(errorShape(ErrorCodes.forbidden));
    }
    const refusedChange = await api(`/admin/users/${user.user.id}/role`, {
      method: 'PATCH',
      token: user.access_token,
      body: { role: 'admin' },
      ip,
    });
    expect(refusedChange.status).toBe(403);

    const users = await api<Page<UserView>>('/admin/users?limit=100', { token: adminToken, ip });
    expect(users.status).toBe(200);
    expect(users.body.items.map((item) => item.email)).toEqual(
      expect.arrayContaining([ADMIN_EMAIL, 'grace.user@identity-e2e.test']),
    );
    // Changing a role needs a signed-in person: the admin's API token is refused, a session is not.
    const byToken = await api(`/admin/users/${user.user.id}/role`, {
      method: 'PATCH',
      token: adminToken,
      body: { role: 'admin' },
      ip,
    });
    expect(byToken.status).toBe(403);
    const admin = await signIn(ADMIN_EMAIL, newClientIp());
    const changed = await api<UserView>(`/admin/users/${user.user.id}/role`, {
      method: 'PATCH',
      token: admin.access_token,
      body: { role: 'admin' },
      ip,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: user.user.id, role: 'admin' });
    // A new session carries the new role; the old access token is refused once the role changed.
    await pollUntil('the old access token refused', async () =>
      (await api('/jobs', { token: user.access_token, ip })).status === 401 ? true : undefined,
    );
    const promoted = await signIn('grace.user@identity-e2e.test', ip);
    expect(promoted.user.role).toBe('admin');
    expect((await api('/admin/users', { token: promoted.access_token, ip })).status).toBe(200);
  });

  it('answers 429 with Retry-After once a client asks for more magic links than the limit', async () => {
    const ip = newClientIp();
    const statuses: number[] = [];
    for (let n = 0; n < SIGN_IN_LIMIT; n += 1) {
      const answer = await api('/auth/magic-link', {
        method: 'POST',
        body: { email: `flood${n}@identity-e2e.test` },
        ip,
      });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual(Array<number>(SIGN_IN_LIMIT).fill(202));

    const over = await api('/auth/magic-link', {
      method: 'POST',
      body: { email: 'flood@identity-e2e.test' },
      ip,
    });
    expect(over.status).toBe(429);
    expect(over.body).toEqual({
      error: { code: ErrorCodes.rateLimited, message: expect.any(String), retryable: true },
    });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const verifyOver = await api('/auth/magic-link/verify?token=guess', { ip });
    expect(verifyOver.status).toBe(429);
    // Another client is not held back by this one.
    expect(
      (
        await api('/auth/magic-link', {
          method: 'POST',
          body: { email: 'flood@identity-e2e.test' },
          ip: newClientIp(),
        })
      ).status,
    ).toBe(202);
  });

  it("returns the client's X-Request-Id and records it as the correlation id of the flow's audit entries", async () => {
    const ip = newClientIp();
    const requestId = `e2e-audit-${Date.now()}`;
    const requested = await api('/auth/magic-link', {
      method: 'POST',
      body: { email: 'audited@identity-e2e.test' },
      ip,
      requestId,
    });
    expect(requested.status).toBe(202);
    expect(requested.headers.get('x-request-id')).toBe(requestId);
    mailsSeen.set('audited@identity-e2e.test', 1);
    const link = await magicLinkFor(stack.mailFolder, 'audited@identity-e2e.test');
    const verified = await api<TokenPair>(`/auth/magic-link/verify${link.search}`, { ip, requestId });
    expect(verified.status).toBe(200);
    expect(verified.headers.get('x-request-id')).toBe(requestId);

    const entries = await pollUntil(
      'the audit entries of the flow',
      async () => {
        const page = await api<Page<AuditEntry>>(`/audit?correlation_id=${requestId}`, {
          token: adminToken,
          ip,
        });
        expect(page.status).toBe(200);
        const types = page.body.items.map((entry) => entry.type);
        return types.includes('MagicLinkRequested') && types.includes('UserSignedIn')
          ? page.body.items
          : undefined;
      },
      30_000,
    );
    expect(entries.every((entry) => entry.correlation_id === requestId)).toBe(true);
    expect(
      entries.every((entry) => entry.service === 'auth' && entry.stream_id.includes(verified.body.user.id)),
    ).toBe(true);
    const other = await api<Page<AuditEntry>>('/audit?correlation_id=no-such-flow', {
      token: adminToken,
      ip,
    });
    expect(other.body.items).toEqual([]);
  });

  it('purges the signed-in user: their tokens are refused, they leave the user list, and every hash chain stays intact', async () => {
    const ip = newClientIp();
    const email = 'forget.me@identity-e2e.test';
    const session = await signIn(email, ip);
    const created = await api<CreatedApiToken>('/tokens', {
      method: 'POST',
      token: session.access_token,
      body: { name: 'cli', scopes: ['jobs:read', 'jobs:write'] },
      ip,
    });
    expect(created.status).toBe(201);
    expect((await meWith(created.body.token, ip)).status).toBe(200);

    const purged = await api('/me', { method: 'DELETE', token: session.access_token, ip });
    expect(purged.status).toBe(202);

    const apiTokenRefused = await pollUntil(
      "the purged user's API token refused",
      async () => {
        const answer = await meWith(created.body.token, ip);
        return answer.status === 200 ? undefined : answer;
      },
      30_000,
    );
    expect(apiTokenRefused.status).toBe(401);
    const refreshed = await api('/auth/refresh', {
      method: 'POST',
      body: { refresh_token: session.refresh_token },
      ip,
    });
    expect(refreshed.status).toBe(401);
    const me = await meWith(session.access_token, ip);
    expect(me.status).toBe(401);
    expect(me.body).toEqual(errorShape(ErrorCodes.unauthorized));

    const users = await api<Page<UserView>>('/admin/users?limit=100', { token: adminToken, ip });
    expect(users.status).toBe(200);
    expect(users.body.items.map((user) => user.id)).not.toContain(session.user.id);
    expect(users.body.items.map((user) => user.email)).not.toContain(email);

    const verify = await stack.runScript('tools/audit/verify.js');
    for (const service of ['auth', 'profiles', 'jobs', 'artifacts'])
      expect(verify.output).toMatch(new RegExp(`^${service}: ok \\(`, 'm'));
    expect(verify.output).not.toMatch(/broken/i);
    expect(verify.code).toBe(0);
  });

  it('answers unknown routes 404 and routes needing credentials 401, in the common error shape', async () => {
    const ip = newClientIp();
    const unknown = await api('/no-such-route', { ip });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(errorShape(ErrorCodes.notFound));
    for (const path of ['/me', '/tokens', '/admin/users', '/audit']) {
      const anonymous = await api(path, { ip });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual(errorShape(ErrorCodes.unauthorized));
    }
  });

  it('keeps honouring a retired signing key through its grace period, then refuses its tokens while new sign-ins work', async () => {
    const ip = newClientIp();
    const before = await signIn('rotation@identity-e2e.test', ip);
    const oldKid = decodeProtectedHeader(before.access_token).kid;

    const rotated = await stack.runAuthOperation('apps/auth/src/rotate-signing-key.js');
    expect(rotated['kid']).toEqual(expect.any(String));
    expect(rotated['kid']).not.toBe(oldKid);
    // The grace period is long enough for this request however slow the machine.
    expect((await meWith(before.access_token, ip)).status).toBe(200);

    const refused = await pollUntil(
      "the retired key's token refused",
      async () => {
        const answer = await meWith(before.access_token, ip);
        return answer.status === 200 ? undefined : answer;
      },
      KEY_GRACE_SECONDS * 1000 + 60_000,
    );
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(errorShape(ErrorCodes.unauthorized));

    const after = await signIn('rotation@identity-e2e.test', ip);
    expect(decodeProtectedHeader(after.access_token).kid).toBe(rotated['kid']);
    expect((await meWith(after.access_token, ip)).status).toBe(200);
  });
});
