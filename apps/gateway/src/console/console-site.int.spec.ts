import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { startGateway, type RunningGateway } from '../test-support/gateway-test-app';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-a1b2c3.js"></script></head></html>';
const SCRIPT = 'console.log("console");';
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/** The web console's build served by a real gateway: cache headers, deep links, the API's 404s. */
describe('the web console served by the gateway', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('console-site');
  let consoleDir: string;
  let gateway: RunningGateway;

  beforeAll(async () => {
    consoleDir = await mkdtemp(join(tmpdir(), 'console-site-'));
    await mkdir(join(consoleDir, 'assets'));
    await writeFile(join(consoleDir, 'index.html'), INDEX);
    await writeFile(join(consoleDir, 'assets/index-a1b2c3.js'), SCRIPT);
    await writeFile(join(consoleDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(consoleDir, '.env'), 'SECRET=1');
    gateway = await startGateway({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      CONSOLE_DIR: consoleDir,
    });
  });

  afterAll(async () => {
    await gateway?.app.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
    await rm(consoleDir, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${path}`, { headers, redirect: 'manual' });

  async function expectNotFound(response: Response): Promise<string> {
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string; retryable: boolean } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatchObject({ code: 'NOT_FOUND', retryable: false });
    return body.error.message;
  }

  it('answers / with index.html, revalidated every time, under a CSP without inline code', async () => {
    const response = await get('/', HTML);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await response.text()).toBe(INDEX);
  });

  it('serves hashed assets as immutable for a year', async () => {
    const response = await get('/assets/index-a1b2c3.js');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe(SCRIPT);
  });

  it('serves other files of the build revalidated', async () => {
    const response = await get('/favicon.svg');

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers deep links a browser opens (a job, the sign-in link, settings) with index.html', async () => {
    for (const path of [
      '/jobs/6f1c2f0e-6c1e-4c55-9a59-0e3c2b1c8a11',
      '/sign-in/verify?token=abc',
      '/settings/tokens',
    ]) {
      const response = await get(path, HTML);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(INDEX);
    }
  });

  it('answers a HEAD of a deep link like its GET, without a body', async () => {
    const response = await fetch(`${gateway.url}/jobs/j-1`, { method: 'HEAD', headers: HTML });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('answers a missing asset, and a path that a browser does not navigate to, with 404', async () => {
    await expectNotFound(await get('/assets/index-old.js'));
    await expectNotFound(await get('/assets/index-old.js', HTML));
    await expectNotFound(await get('/jobs/j-1', { accept: 'application/json' }));
    await expectNotFound(await get('/jobs/j-1', { accept: '*/*' }));
  });

  it("keeps the API's 404 for unknown API, health and metrics paths, even for a browser", async () => {
    for (const path of ['/api/v1/no-such-thing', '/api/nope', '/health/nope', '/metrics/nope']) {
      const response = await get(path, HTML);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      await expectNotFound(response);
    }
  });

  it('keeps the API, its docs and health where they were', async () => {
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/api/docs-json')).status).toBe(200);
    const unauthenticated = await get('/api/v1/me', HTML);
    expect(unauthenticated.status).toBe(401);
  });

  it('serves no file outside the build, nor dotfiles', async () => {
    await expectNotFound(await get('/.env'));
    await expectNotFound(await get('/assets/..%2F..%2Fetc%2Fpasswd'));
    await expectNotFound(await get('/..%2F..%2F..%2Fetc%2Fpasswd'));
    const traversal = await get('/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd', HTML);
    expect(await traversal.text()).not.toContain('root:');
  });
});

describe('a gateway without the console build', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('console-missing');
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      CONSOLE_DIR: join(tmpdir(), 'no-such-console-build'),
    });
  });

  afterAll(async () => {
    await gateway?.app.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  it('starts, serves the API, and answers / with a 404 saying the console is not built', async () => {
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);

    const response = await fetch(`${gateway.url}/`, { headers: HTML });

    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toMatch(/console is not built/);
  });
});
