import { describe, expect, it } from 'vitest';
import { REFRESH_MARGIN_MS, SessionManager } from './session-manager';

const user = {
  id: 'u1',
  email: 'ana@example.com',
  name: null,
  role: 'user' as const,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** A stand-in for the gateway's HTTP answers, recording every request. */
function fakeServer(answer: (call: Call, index: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetchFn = async (url: string, init?: RequestInit) => {
    const call = { url, init };
    calls.push(call);
    return answer(call, calls.length - 1);
  };
  return { calls, fetchFn };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const grant = (token: string, expiresIn = 900) =>
  json(200, { token_type: 'Bearer', access_token: token, expires_in: expiresIn, user });
const refused = () =>
  json(401, { error: { code: 'UNAUTHORIZED', message: 'session expired', retryable: false } });
const header = (call: Call, name: string) => new Headers(call.init?.headers).get(name);

describe('SessionManager', () => {
  it('restores a session from the cookie on load, with the console header and no token in storage', async () => {
    const server = fakeServer(() => grant('a1'));
    const session = new SessionManager(server.fetchFn);
    expect(session.getState()).toEqual({ status: 'restoring' });

    await session.restore();

    expect(session.getState()).toEqual({ status: 'signed-in', user });
    expect(server.calls[0]?.url).toBe('/api/v1/auth/refresh');
    expect(server.calls[0]?.init?.credentials).toBe('same-origin');
    expect(header(server.calls[0] as Call, 'X-ScriptRipper-Client')).toBe('console');
    expect(await session.accessToken()).toBe('a1');
    expect(localStorage.length + sessionStorage.length).toBe(0);
  });

  it('is signed out (not expired) when there is no session to restore', async () => {
    const session = new SessionManager(fakeServer(() => refused()).fetchFn);
    await session.restore();
    expect(session.getState()).toEqual({ status: 'signed-out', expired: false });
  });

  it('refreshes shortly before the access token expires, once for concurrent requests', async () => {
    let now = 1_000_000;
    let issued = 0;
    const server = fakeServer((call) =>
      call.url.endsWith('/auth/refresh') ? grant(`a${++issued}`, 600) : json(200, { ok: true }),
    );
    const session = new SessionManager(server.fetchFn, () => now);
    await session.restore();
    expect(await session.accessToken()).toBe('a1');

    now += 600_000 - REFRESH_MARGIN_MS + 1;
    const tokens = await Promise.all([session.accessToken(), session.accessToken(), session.accessToken()]);

    expect(tokens).toEqual(['a2', 'a2', 'a2']);
    expect(server.calls.filter((call) => call.url.endsWith('/auth/refresh'))).toHaveLength(2);
  });

  it('retries a request refused with 401 once, after a refresh, with the new token', async () => {
    let issued = 0;
    const server = fakeServer((call) => {
      if (call.url.endsWith('/auth/refresh')) return grant(`a${++issued}`);
      return header(call, 'Authorization') === 'Bearer a2' ? json(200, { items: [] }) : refused();
    });
    const session = new SessionManager(server.fetchFn);
    await session.restore();

    const response = await session.authorizedFetch('/jobs');

    expect(response.status).toBe(200);
    expect(server.calls.map((call) => call.url)).toEqual([
      '/api/v1/auth/refresh',
      '/api/v1/jobs',
      '/api/v1/auth/refresh',
      '/api/v1/jobs',
    ]);
    expect(session.getState().status).toBe('signed-in');
  });

  it('ends an expired session (refresh refused) as signed out and expired, so sign-in can bring the person back', async () => {
    let refreshes = 0;
    const server = fakeServer((call) =>
      call.url.endsWith('/auth/refresh') ? (++refreshes === 1 ? grant('a1') : refused()) : refused(),
    );
    const session = new SessionManager(server.fetchFn);
    await session.restore();

    await expect(session.authorizedFetch('/jobs')).rejects.toMatchObject({ status: 401 });
    expect(session.getState()).toEqual({ status: 'signed-out', expired: true });
    expect(await session.accessToken()).toBeNull();
  });

  it('POSTs the magic-link token and keeps the access token in memory', async () => {
    const server = fakeServer(() => grant('a9'));
    const session = new SessionManager(server.fetchFn);
    const signedIn = await session.verifyMagicLink('tok-123');

    expect(signedIn).toEqual(user);
    expect(server.calls[0]?.url).toBe('/api/v1/auth/magic-link/verify');
    expect(server.calls[0]?.init?.method).toBe('POST');
    expect(JSON.parse(String(server.calls[0]?.init?.body))).toEqual({ token: 'tok-123' });
    expect(await session.accessToken()).toBe('a9');
  });

  it("shows the API's own message when a link is refused", async () => {
    const server = fakeServer(() =>
      json(401, { error: { code: 'UNAUTHORIZED', message: 'link expired or used', retryable: false } }),
    );
    const session = new SessionManager(server.fetchFn);
    await expect(session.verifyMagicLink('old')).rejects.toThrow('link expired or used');
  });

  it('signs out with the console header and the bearer token, and forgets the token even if the call fails', async () => {
    let signOuts = 0;
    const server = fakeServer((call) => {
      if (call.url.endsWith('/auth/sign-out')) {
        signOuts++;
        throw new TypeError('network down');
      }
      return grant('a1');
    });
    const session = new SessionManager(server.fetchFn);
    await session.restore();

    await expect(session.signOut()).rejects.toThrow('network down');

    const call = server.calls.find((c) => c.url.endsWith('/auth/sign-out')) as Call;
    expect(header(call, 'Authorization')).toBe('Bearer a1');
    expect(header(call, 'X-ScriptRipper-Client')).toBe('console');
    expect(signOuts).toBe(1);
    expect(session.getState()).toEqual({ status: 'signed-out', expired: false });
  });
});
