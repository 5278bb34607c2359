import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayClient } from './test-support/gateway-client';
import { startIdentityStack, type IdentityStack } from './test-support/identity-stack';
import { magicLinkFor } from './test-support/mailbox';

const INDEX =
  '<!doctype html><title>ScriptRipper</title><script type="module" src="/assets/app-4f9a1c.js"></script>';

const MEETING_VTT = `WEBVTT

00:00:01.000 --> 00:00:06.000
<v Ana>Let us decide the launch date today.

00:00:06.500 --> 00:00:12.000
<v Bob>We decided to launch on the fifteenth of March.
`;

/** One Set-Cookie of a response, by name, with its attributes. */
function cookieOf(response: Response, name: string): { value: string; attributes: string[] } | undefined {
  const line = response.headers.getSetCookie().find((header) => header.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
  return { value: pair.slice(name.length + 1), attributes };
}

/**
 * What the web console needs from the running platform (every service a process from dist/,
 * real Postgres, Redis and SMTP): its build served by the gateway, the mailed link opening
 * it, a browser session in an httpOnly cookie that rotates and signs out, and one live
 * stream of all of a user's jobs.
 */
describe('the web console against the running platform', () => {
  let stack: IdentityStack;
  let client: GatewayClient;
  let consoleDir: string;

  beforeAll(async () => {
    consoleDir = await mkdtemp(join(tmpdir(), 'console-e2e-'));
    await mkdir(join(consoleDir, 'assets'));
    await writeFile(join(consoleDir, 'index.html'), INDEX);
    await writeFile(join(consoleDir, 'assets/app-4f9a1c.js'), 'export {};');
    stack = await startIdentityStack('console_e2e', {
      adminEmail: 'admin@console-e2e.test',
      withWorker: true,
      gateway: { CONSOLE_DIR: consoleDir },
    });
    client = new GatewayClient(stack.gatewayUrl, stack.mailFolder);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    if (consoleDir) await rm(consoleDir, { recursive: true, force: true });
  }, 60_000);

  const consoleHeaders = (cookie?: string, accessToken?: string): Record<string, string> => ({
    'content-type': 'application/json',
    'x-scriptripper-client': 'console',
    origin: stack.gatewayUrl,
    ...(cookie ? { cookie: `sr_refresh=${cookie}` } : {}),
    ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
  });
  const post = (path: string, headers: Record<string, string>, body: unknown = {}) =>
    fetch(`${stack.gatewayUrl}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const me = (accessToken: string) =>
    fetch(`${stack.gatewayUrl}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });

  it('serves the build: the app for deep links, immutable hashed assets, the API 404 kept', async () => {
    const page = await fetch(`${stack.gatewayUrl}/jobs/4b1d`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toBe(INDEX);

    const asset = await fetch(`${stack.gatewayUrl}/assets/app-4f9a1c.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    const unknown = await fetch(`${stack.gatewayUrl}/api/v1/no-such-route`, {
      headers: { accept: 'text/html' },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('signs in from the mailed console link into a cookie session that rotates and signs out', async () => {
    const email = 'ana@console-e2e.test';
    const asked = await post('/auth/magic-link', { 'content-type': 'application/json' }, { email });
    expect(asked.status).toBe(202);
    const link = await magicLinkFor(stack.mailFolder, email);
    expect(`${link.origin}${link.pathname}`).toBe(`${stack.gatewayUrl}/sign-in/verify`);

    // A mail scanner fetching the link gets the app and spends nothing.
    const scanned = await fetch(link, { headers: { accept: 'text/html' } });
    expect(scanned.status).toBe(200);
    expect(await scanned.text()).toBe(INDEX);

    // The console's page POSTs the token.
    const token = link.searchParams.get('token') ?? '';
    const signedIn = await post('/auth/magic-link/verify', consoleHeaders(), { token });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    const session = (await signedIn.json()) as { access_token: string; refresh_token?: string };
    expect(session.refresh_token).toBeUndefined();
    const cookie = cookieOf(signedIn, 'sr_refresh');
    expect(cookie?.attributes).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/api/v1/auth']),
    );
    expect((await me(session.access_token)).status).toBe(200);

    // Refresh through the cookie: a new one replaces it.
    const refreshed = await post('/auth/refresh', consoleHeaders(cookie?.value));
    expect(refreshed.status).toBe(200);
    const rotated = cookieOf(refreshed, 'sr_refresh');
    expect(rotated?.value).toBeTruthy();
    expect(rotated?.value).not.toBe(cookie?.value);
    const renewed = (await refreshed.json()) as { access_token: string; refresh_token?: string };
    expect(renewed.refresh_token).toBeUndefined();
    expect((await me(renewed.access_token)).status).toBe(200);

    // The cookie is refused without the console's proof.
    const bare = await post('/auth/refresh', {
      'content-type': 'application/json',
      cookie: `sr_refresh=${rotated?.value}`,
    });
    expect(bare.status).toBe(403);

    // Sign out revokes the family and clears the cookie; the cookie no longer refreshes.
    const signedOut = await post('/auth/sign-out', consoleHeaders(rotated?.value, renewed.access_token));
    expect(signedOut.status).toBe(204);
    expect(cookieOf(signedOut, 'sr_refresh')?.value).toBe('');
    const after = await post('/auth/refresh', consoleHeaders(rotated?.value));
    expect(after.status).toBe(401);
  });

  it('replays of a rotated cookie revoke the session (reuse detection through the cookie)', async () => {
    const email = 'bob@console-e2e.test';
    await post('/auth/magic-link', { 'content-type': 'application/json' }, { email });
    const link = await magicLinkFor(stack.mailFolder, email);
    const signedIn = await post('/auth/magic-link/verify', consoleHeaders(), {
      token: link.searchParams.get('token'),
    });
    const first = cookieOf(signedIn, 'sr_refresh')?.value;

    const rotated = cookieOf(await post('/auth/refresh', consoleHeaders(first)), 'sr_refresh')?.value;
    const replayed = await post('/auth/refresh', consoleHeaders(first));
    expect(replayed.status).toBe(401);
    expect(cookieOf(replayed, 'sr_refresh')?.value).toBe('');
    // The whole family is gone: the newer cookie is refused too.
    expect((await post('/auth/refresh', consoleHeaders(rotated))).status).toBe(401);
  });

  it("streams every status change of all the user's jobs on one event stream", async () => {
    const carla = await client.signIn('carla@console-e2e.test');
    const stream = await fetch(`${stack.gatewayUrl}/api/v1/jobs/events`, {
      headers: { authorization: `Bearer ${carla.access_token}` },
    });
    expect(stream.status).toBe(200);
    const reader = stream.body?.getReader();
    if (!reader) throw new Error('no stream body');
    const seen: { job_id: string; status: string }[] = [];
    const decoder = new TextDecoder();
    let buffered = '';
    const reading = (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        const blocks = buffered.split('\n\n');
        buffered = blocks.pop() ?? '';
        for (const block of blocks.filter((candidate) => candidate.startsWith('event: status'))) {
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          seen.push(JSON.parse(data?.slice(6) ?? '{}') as { job_id: string; status: string });
        }
      }
    })();

    const first = await client.submit(carla.access_token, { profile: 'meeting', transcript: MEETING_VTT });
    const second = await client.submit(carla.access_token, { profile: 'meeting', transcript: MEETING_VTT });
    await client.finished(first, carla.access_token);
    await client.finished(second, carla.access_token);

    const deadline = Date.now() + 30_000;
    const completed = () =>
      new Set(seen.filter((event) => event.status === 'completed').map((event) => event.job_id));
    while (!(completed().has(first) && completed().has(second)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await reader.cancel();
    await reading;

    for (const jobId of [first, second]) {
      const statuses = seen.filter((event) => event.job_id === jobId).map((event) => event.status);
      expect({ jobId, statuses }).toEqual({ jobId, statuses: ['queued', 'running', 'completed'] });
    }
    expect(seen.every((event) => event.job_id === first || event.job_id === second)).toBe(true);
  }, 180_000);
});
