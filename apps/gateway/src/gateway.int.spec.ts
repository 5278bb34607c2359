import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { AuditEntry } from '@scriptripper/contracts';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { accessPolicyOf, declaresAccess } from './access/access-policy';
import { OPERATIONAL_ROUTES } from './access/access.guard';
import { startAuthPeer, type RunningPeers } from './test-support/auth-peer.fixture';
import { startGateway, type RunningGateway } from './test-support/gateway-test-app';

/**
 * The gateway over real HTTP, calling a stand-in auth service over the real Redis Streams
 * transport: authentication, authorisation, the error shape, limits, OpenAPI.
 */
describe('the gateway', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('gateway');
  let peers: RunningPeers;
  let gateway: RunningGateway;

  beforeAll(async () => {
    peers = await startAuthPeer(redisUrl, keyPrefix);
    gateway = await startGateway({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      RPC_TIMEOUT_MS: '1500',
      BODY_LIMIT_BYTES: '2048',
      RATE_LIMIT_SIGN_IN: '5',
      // The route walk and the refusals below fail authentication far more often than a client would.
      RATE_LIMIT_AUTH_FAILURES: '1000',
      JWKS_REFETCH_MIN_INTERVAL_MS: '200',
      API_TOKEN_CACHE_MS: '1000',
      AUDIT_SERVICES: 'auth,jobs',
      CORS_ORIGINS: 'https://app.example.test',
      PUBLIC_BASE_URL: 'https://api.example.test',
    });
  });

  afterAll(async () => {
    await gateway?.app.close();
    await peers?.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  const url = (path: string) => `${gateway.url}${path}`;
  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(url(path), { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const send = (method: string, path: string, body: unknown, token?: string) =>
    fetch(url(path), {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const userToken = () => peers.state.accessToken({ sub: 'user-1', role: 'user' });
  const adminToken = () => peers.state.accessToken({ sub: 'admin-1', role: 'admin' });

  async function expectError(response: Response, status: number, code: string): Promise<string> {
    const body = (await response.json()) as { error: { code: string; message: string; retryable: boolean } };
    expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'retryable']);
    expect(body.error.message).not.toMatch(/\n\s+at /);
    return body.error.message;
  }

  async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  describe('with a JWT access token', () => {
    it('answers the signed-in user and sends the actor and the correlation id to the service', async () => {
      const response = await get('/api/v1/me', await userToken(), { 'x-request-id': 'req-me-1' });

      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe('req-me-1');
      expect(await response.json()).toMatchObject({ id: 'user-1', role: 'user' });
      const envelope = peers.state.received.find(
        (received) => received.correlationId === 'req-me-1' && received.type === 'auth.me.get',
      );
      expect(envelope).toMatchObject({
        type: 'auth.me.get',
        actor: {
          id: 'user-1',
          role: 'user',
          scopes: ['jobs:read', 'jobs:write', 'account:admin'],
          credential: { kind: 'session', session_id: 'session-1', issued_at: expect.any(Number) },
        },
      });
    });

    it('makes a correlation id when the client sends none and carries it on the message', async () => {
      const response = await get('/api/v1/me', await userToken());
      const id = response.headers.get('x-request-id');

      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(peers.state.received.some((envelope) => envelope.correlationId === id)).toBe(true);
    });

    it('carries a valid traceparent header on the message', async () => {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await get('/api/v1/me', await userToken(), { 'x-request-id': 'req-trace', traceparent });

      const envelope = peers.state.received.find((received) => received.correlationId === 'req-trace');
      expect(envelope?.traceparent).toBe(traceparent);
    });

    it('refuses a token with a forged signature', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const forged = await new SignJWT({ role: 'admin', scopes: ['users:admin'] })
        .setProtectedHeader({ alg: 'ES256', kid: 'key-1' })
        .setSubject('admin-1')
        .setIssuer('scriptripper-auth')
        .setAudience('scriptripper')
        .setIssuedAt()
        .setExpirationTime('15m')
        .sign(privateKey);

      await expectError(await get('/api/v1/me', forged), 401, 'UNAUTHORIZED');
    });

    it('refuses an expired token', async () => {
      const expired = await peers.state.accessToken(
        { sub: 'user-1', role: 'user' },
        { expiresIn: Math.floor(Date.now() / 1_000) - 60 },
      );

      const message = await expectError(await get('/api/v1/me', expired), 401, 'UNAUTHORIZED');
      expect(message).toBe('Access token expired');
    });

    it('refuses an unsigned token (alg none)', async () => {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(Date.now() / 1_000);
      const unsigned = `${part({ alg: 'none', kid: 'key-1' })}.${part({
        sub: 'admin-1',
        role: 'admin',
        scopes: ['users:admin'],
        iss: 'scriptripper-auth',
        aud: 'scriptripper',
        iat: now,
        exp: now + 600,
      })}.`;

      await expectError(await get('/api/v1/me', unsigned), 401, 'UNAUTHORIZED');
    });

    it('refuses an HMAC token made with the public key as its secret', async () => {
      const publicJwk = peers.state.keys[0]?.publicJwk;
      const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
      const hmac = await new SignJWT({ role: 'admin', scopes: ['users:admin'] })
        .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
        .setSubject('admin-1')
        .setIssuer('scriptripper-auth')
        .setAudience('scriptripper')
        .setIssuedAt()
        .setExpirationTime('15m')
        .sign(secret);

      await expectError(await get('/api/v1/me', hmac), 401, 'UNAUTHORIZED');
    });

    it('refuses a token for another audience or from another issuer', async () => {
      const otherAudience = await peers.state.accessToken(
        { sub: 'user-1', role: 'user' },
        { audience: 'elsewhere' },
      );
      const otherIssuer = await peers.state.accessToken(
        { sub: 'user-1', role: 'user' },
        { issuer: 'someone' },
      );

      await expectError(await get('/api/v1/me', otherAudience), 401, 'UNAUTHORIZED');
      await expectError(await get('/api/v1/me', otherIssuer), 401, 'UNAUTHORIZED');
    });

    it('refuses a token signed with a key the auth service does not publish', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const stranger = {
        kid: 'key-unknown',
        privateKey,
        publicJwk: { ...(await exportJWK(publicKey)), kid: 'key-unknown' },
      };
      const token = await peers.state.accessToken({ sub: 'user-1', role: 'user' }, { key: stranger });

      const message = await expectError(await get('/api/v1/me', token), 401, 'UNAUTHORIZED');
      expect(message).toBe('Access token signed with an unknown key');
    });

    it('accepts tokens of a newly rotated key once it refetches the key set', async () => {
      const rotated = await peers.state.addKey('key-2');
      const token = await peers.state.accessToken({ sub: 'user-1', role: 'user' }, { key: rotated });

      const status = await pollUntil('the rotated key to be accepted', async () => {
        const response = await get('/api/v1/me', token);
        return response.status === 200 ? response.status : undefined;
      });
      expect(status).toBe(200);
    });

    it('refuses a malformed Authorization header or none at all', async () => {
      await expectError(await get('/api/v1/me'), 401, 'UNAUTHORIZED');
      await expectError(
        await get('/api/v1/me', undefined, { authorization: 'Basic abc' }),
        401,
        'UNAUTHORIZED',
      );
      const none = await get('/api/v1/me');
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
    });
  });

  describe('with an API token', () => {
    it('accepts a token the auth service knows, acting as its user with its scopes', async () => {
      peers.state.apiTokens.set('srt_valid-one', {
        token_id: 't-1',
        user_id: 'user-7',
        role: 'user',
        scopes: ['jobs:read'],
      });

      const response = await get('/api/v1/me', 'srt_valid-one', { 'x-request-id': 'req-api-token' });

      expect(response.status).toBe(200);
      const envelope = peers.state.received.find(
        (received) => received.correlationId === 'req-api-token' && received.type === 'auth.me.get',
      );
      expect(envelope?.actor).toEqual({
        id: 'user-7',
        role: 'user',
        scopes: ['jobs:read'],
        credential: { kind: 'api-token', token_id: 't-1' },
      });
    });

    it('refuses an unknown token', async () => {
      const message = await expectError(await get('/api/v1/me', 'srt_never-issued'), 401, 'UNAUTHORIZED');
      expect(message).toBe('API token invalid');
    });

    it('refuses a revoked token within the cache window', async () => {
      peers.state.apiTokens.set('srt_soon-revoked', {
        token_id: 't-2',
        user_id: 'user-8',
        role: 'user',
        scopes: ['jobs:read'],
      });
      expect((await get('/api/v1/me', 'srt_soon-revoked')).status).toBe(200);

      peers.state.apiTokens.delete('srt_soon-revoked');

      const refused = await pollUntil('the revoked token to be refused', async () => {
        const response = await get('/api/v1/me', 'srt_soon-revoked');
        return response.status === 401 ? response : undefined;
      });
      await expectError(refused, 401, 'UNAUTHORIZED');
    });
  });

  describe('roles and scopes', () => {
    it('refuses a User on Admin routes with 403 in the common shape', async () => {
      await expectError(await get('/api/v1/admin/users', await userToken()), 403, 'FORBIDDEN');
      await expectError(await get('/api/v1/audit', await userToken()), 403, 'FORBIDDEN');
    });

    it('refuses an Admin token without the route scope', async () => {
      peers.state.apiTokens.set('srt_admin-narrow', {
        token_id: 't-3',
        user_id: 'admin-2',
        role: 'admin',
        scopes: ['jobs:read'],
      });

      const message = await expectError(
        await get('/api/v1/admin/users', 'srt_admin-narrow'),
        403,
        'FORBIDDEN',
      );
      expect(message).toContain('users:admin');
    });

    it('lets an Admin list users as { items, next_cursor }', async () => {
      const response = await get('/api/v1/admin/users?limit=10', await adminToken());

      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: unknown[]; next_cursor: unknown };
      expect(body.items).toHaveLength(2);
      expect(body.next_cursor).toBeNull();
    });
  });

  describe('every route', () => {
    const PUBLIC_ON_PURPOSE = new Set([
      'GET /health/live',
      'GET /health/ready',
      'GET /metrics',
      'GET /api/docs',
      'GET /api/docs-json',
      'POST /api/v1/auth/magic-link',
      'GET /api/v1/auth/magic-link/verify',
      'POST /api/v1/auth/magic-link/verify',
      'GET /api/v1/auth/oidc/:provider/start',
      'GET /api/v1/auth/oidc/:provider/callback',
      'POST /api/v1/auth/refresh',
      // A signed download link is its own credential (checked by the artifacts service).
      'GET /api/v1/downloads/:id',
      // The web console's static files and deep links (never /api, /health, /metrics).
      'GET /*',
    ]);
    // Swagger UI's page and its static assets: documentation, public on purpose.
    const isDocs = (route: { method: string; url: string }) =>
      route.method === 'GET' && route.url.startsWith('/api/docs/');
    const walked = () =>
      gateway.routes.filter(
        // HEAD mirrors GET; OPTIONS * is CORS preflight, which answers no data.
        (route) => route.method !== 'HEAD' && !(route.method === 'OPTIONS' && route.url === '*'),
      );

    it('is either public on purpose or refuses a request without credentials with 401', async () => {
      const guarded: string[] = [];
      for (const route of walked()) {
        const name = `${route.method} ${route.url}`;
        if (PUBLIC_ON_PURPOSE.has(name) || isDocs(route)) continue;
        const path = route.url.replace(/:(\w+)/g, 'x1');
        const response = await fetch(url(path), {
          method: route.method,
          ...(['POST', 'PATCH', 'PUT'].includes(route.method)
            ? { headers: { 'content-type': 'application/json' }, body: '{}' }
            : {}),
        });
        expect({ route: name, status: response.status }).toEqual({ route: name, status: 401 });
        await expectError(response, 401, 'UNAUTHORIZED');
        guarded.push(name);
      }
      expect(guarded).toEqual(
        expect.arrayContaining(['GET /api/v1/me', 'GET /api/v1/audit', 'PATCH /api/v1/admin/users/:id/role']),
      );
    });

    it('each declare who may call them: public on purpose, scopes, or a signed-in person only', () => {
      const reflector = gateway.app.get(Reflector);
      const undeclared: string[] = [];
      const declared: string[] = [];
      for (const module of gateway.app.get(ModulesContainer).values()) {
        for (const { metatype } of module.controllers.values()) {
          if (typeof metatype !== 'function') continue;
          const prototype = metatype.prototype as Record<string, unknown>;
          const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
          for (const name of Object.getOwnPropertyNames(prototype)) {
            const handler = prototype[name];
            if (name === 'constructor' || typeof handler !== 'function') continue;
            const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
            if (path === undefined) continue;
            const url = `/${[base, path].filter((part) => part !== '' && part !== '/').join('/')}`;
            if (OPERATIONAL_ROUTES.has(url)) continue;
            const route = `${metatype.name}.${name}`;
            const policy = accessPolicyOf(reflector, [handler, metatype]);
            (declaresAccess(policy) ? declared : undeclared).push(route);
          }
        }
      }
      expect(undeclared).toEqual([]);
      expect(declared).toEqual(
        expect.arrayContaining([
          'ApiTokensController.create',
          'MeController.purge',
          'AdminUsersController.changeRole',
        ]),
      );
      // Each API route of the walk below is a handler counted here.
      expect(declared.length).toBeGreaterThanOrEqual(
        walked().filter((route) => route.url.startsWith('/api/v1/')).length,
      );
    });

    it('lists only routes that exist as public', () => {
      const names = new Set(walked().map((route) => `${route.method} ${route.url}`));
      const apiPublic = [...PUBLIC_ON_PURPOSE].filter((name) => name.includes('/api/v1/'));
      expect(apiPublic.filter((name) => !names.has(name))).toEqual([]);
    });

    it('are all in the OpenAPI document, protected ones with bearer auth and a 401', async () => {
      const response = await get('/api/docs-json');
      const document = (await response.json()) as {
        paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
        components: { securitySchemes: Record<string, { scheme: string }> };
      };

      expect(response.status).toBe(200);
      expect(document.components.securitySchemes['bearer']?.scheme).toBe('bearer');
      const apiRoutes = walked().filter((route) => route.url.startsWith('/api/v1/'));
      expect(apiRoutes.length).toBeGreaterThanOrEqual(15);
      for (const route of apiRoutes) {
        const path = route.url.replace(/:(\w+)/g, '{$1}');
        const operation = document.paths[path]?.[route.method.toLowerCase()];
        expect({ route: `${route.method} ${route.url}`, documented: operation !== undefined }).toEqual({
          route: `${route.method} ${route.url}`,
          documented: true,
        });
        if (!PUBLIC_ON_PURPOSE.has(`${route.method} ${route.url}`)) {
          expect(operation?.security).toEqual([{ bearer: [] }]);
          expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['401', '429']));
        }
      }
    });

    it('serves Swagger UI at /api/docs', async () => {
      const response = await get('/api/docs');

      expect(response.status).toBe(200);
      expect(await response.text()).toContain('swagger');
    });
  });

  describe('errors', () => {
    it('refuses an unknown field with 400 VALIDATION_FAILED', async () => {
      const response = await send('POST', '/api/v1/auth/refresh', { refresh_token: 'r', admin: true });

      const message = await expectError(response, 400, 'VALIDATION_FAILED');
      expect(message).toContain('admin');
    });

    it('refuses a missing or wrongly typed field with 400 VALIDATION_FAILED', async () => {
      await expectError(await send('POST', '/api/v1/auth/refresh', {}), 400, 'VALIDATION_FAILED');
      const token = await userToken();
      const badScope = await send('POST', '/api/v1/tokens', { name: 'x', scopes: ['root'] }, token);
      await expectError(badScope, 400, 'VALIDATION_FAILED');
    });

    it('refuses malformed JSON with 400 in the common shape', async () => {
      await expectError(
        await send('POST', '/api/v1/auth/refresh', '{"refresh_token":'),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('answers an unknown route with 404 in the common shape', async () => {
      await expectError(await get('/api/v1/no-such-thing'), 404, 'NOT_FOUND');
      await expectError(await get('/elsewhere'), 404, 'NOT_FOUND');
    });

    it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const response = await send('POST', '/api/v1/auth/refresh', { refresh_token: 'x'.repeat(4_096) });

      await expectError(response, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers 503 RPC_TIMEOUT, retryable, when the service does not answer in time', async () => {
      peers.state.meDelayMs = 3_000;
      try {
        const response = await get('/api/v1/me', await userToken());
        const body = (await response.clone().json()) as { error: { retryable: boolean } };

        await expectError(response, 503, 'RPC_TIMEOUT');
        expect(body.error.retryable).toBe(true);
      } finally {
        peers.state.meDelayMs = 0;
      }
    });

    it("answers a service's internal failure with 500 INTERNAL and none of its details", async () => {
      const response = await fetch(url('/api/v1/me'), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${await userToken()}` },
      });

      const message = await expectError(response, 500, 'INTERNAL');
      expect(message).toBe('Internal error');
    });

    it("passes a service's refusal on with its status", async () => {
      const response = await send('POST', '/api/v1/auth/magic-link/verify', { token: 'used-link' });

      const message = await expectError(response, 401, 'UNAUTHORIZED');
      expect(message).toBe('magic link invalid or used');
    });
  });

  describe('sign-in routes', () => {
    it('starts OpenID Connect with a redirect to the provider and the callback URL on the public base URL', async () => {
      const response = await fetch(url('/api/v1/auth/oidc/google/start'), { redirect: 'manual' });

      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.origin).toBe('https://idp.example.test');
      expect(location.searchParams.get('redirect_uri')).toBe(
        'https://api.example.test/api/v1/auth/oidc/google/callback',
      );
    });

    it('verifies a magic link from the link itself', async () => {
      const response = await get('/api/v1/auth/magic-link/verify?token=good-link');

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ token_type: 'Bearer', user: { id: 'u-1' } });
    });

    it('rate-limits magic-link requests per IP with 429 and Retry-After', async () => {
      const answers: Response[] = [];
      for (let attempt = 0; attempt < 8; attempt += 1) {
        answers.push(await send('POST', '/api/v1/auth/magic-link', { email: 'someone@example.test' }));
      }

      expect(answers[0]?.status).toBe(202);
      const limited = answers.find((response) => response.status === 429);
      expect(limited).toBeDefined();
      expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
      if (limited) await expectError(limited, 429, 'RATE_LIMITED');
    });
  });

  describe('HTTP hygiene', () => {
    it('sends security headers', async () => {
      const response = await get('/api/v1/me');

      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('strict-transport-security')).toContain('max-age');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    });

    it('allows CORS from configured origins only', async () => {
      const allowed = await get('/api/v1/me', undefined, { origin: 'https://app.example.test' });
      const other = await get('/api/v1/me', undefined, { origin: 'https://evil.example.test' });

      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('the audit', () => {
    it("verifies every service's hash chains for an admin, naming the first broken link", async () => {
      await expectError(await get('/api/v1/audit/verify', await userToken()), 403, 'FORBIDDEN');
      const response = await get('/api/v1/audit/verify', await adminToken());
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        ok: false,
        services: [
          { service: 'auth', ok: true, streams: 3, events: 12 },
          {
            service: 'jobs',
            ok: false,
            first_broken: {
              stream_id: 'job-1',
              stream_version: 2,
              global_position: 7,
              expected_hash: 'aa',
              actual_hash: 'bb',
            },
          },
        ],
      });
    });

    const entry = (service: string, position: number, recordedAt: string): AuditEntry => ({
      service,
      position,
      stream_id: `s-${position}`,
      stream_type: 'user',
      version: 1,
      type: 'UserSignedIn',
      actor: { id: 'user-1', role: 'user' },
      correlation_id: `c-${service}-${position}`,
      causation_id: null,
      recorded_at: recordedAt,
      hash: 'h',
    });

    it('merges every service by time, page by page through one cursor, and passes the filters on', async () => {
      const minute = (m: number) => new Date(Date.UTC(2025, 0, 1, 0, m)).toISOString();
      peers.state.audit.set('auth', [
        entry('auth', 1, minute(1)),
        entry('auth', 2, minute(4)),
        entry('auth', 3, minute(5)),
      ]);
      peers.state.audit.set('jobs', [
        entry('jobs', 1, minute(2)),
        entry('jobs', 2, minute(3)),
        entry('jobs', 3, minute(6)),
      ]);
      const token = await adminToken();

      const listed: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query = `/api/v1/audit?limit=2&type=UserSignedIn${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await get(query, token, { 'x-request-id': `req-audit-${pages}` });
        expect(response.status).toBe(200);
        const page = (await response.json()) as { items: AuditEntry[]; next_cursor: string | null };
        listed.push(...page.items.map((item) => `${item.service}:${item.position}`));
        cursor = page.next_cursor;
        pages += 1;
      } while (cursor !== null && pages < 10);

      expect(listed).toEqual(['auth:1', 'jobs:1', 'jobs:2', 'auth:2', 'auth:3', 'jobs:3']);
      const request = peers.state.received.find(
        (envelope) => envelope.correlationId === 'req-audit-0' && envelope.type === 'jobs.audit.list',
      );
      expect(request?.data).toEqual({ type: 'UserSignedIn', limit: 2 });
      expect(request?.actor.role).toBe('admin');
    });

    it('refuses a cursor it did not make', async () => {
      const response = await get('/api/v1/audit?cursor=bm90LWEtY3Vyc29y', await adminToken());

      await expectError(response, 400, 'VALIDATION_FAILED');
    });
  });
});
