import { readFile, stat } from 'node:fs/promises';
import { ExitCode } from '../exit-codes';
import { parseMagicLink } from './login.command';
import { FakeGateway } from '../test-support/fake-gateway';
import { CliSandbox } from '../test-support/test-io';

describe('scriptripper login', () => {
  let gateway: FakeGateway;
  let sandbox: CliSandbox;

  beforeEach(async () => {
    gateway = await new FakeGateway().start();
    sandbox = await CliSandbox.create();
  });

  afterEach(async () => {
    await gateway.stop();
    await sandbox.remove();
  });

  const storedConfig = async () =>
    JSON.parse(await readFile(sandbox.configFile, 'utf8')) as Record<string, string>;

  it('checks a token given with --token and stores it with the URL in a 0600 config file', async () => {
    const login = await sandbox.run(['login', '--url', gateway.url, '--token', 'srt_good', '--json']);

    expect(login.code).toBe(ExitCode.ok);
    expect(login.json()).toMatchObject({ url: gateway.url, user: { email: 'ana@example.test' } });
    expect(await storedConfig()).toEqual({ url: gateway.url, token: 'srt_good' });
    expect((await stat(sandbox.configFile)).mode & 0o777).toBe(0o600);
    expect(gateway.requestsTo('GET', '/api/v1/me')[0]?.headers.authorization).toBe('Bearer srt_good');

    // Later commands use the stored settings.
    const profiles = await sandbox.run(['profiles', 'list']);
    expect(profiles.code).toBe(ExitCode.ok);
    expect(profiles.stdout).toContain('meeting');
  });

  it('reads the token from stdin when it is piped', async () => {
    const login = await sandbox.run(['login', '--url', gateway.url], {}, 'srt_good\n');

    expect(login.code).toBe(ExitCode.ok);
    expect(login.stdout).toContain('Signed in');
    expect(await storedConfig()).toMatchObject({ token: 'srt_good' });
  });

  it('refuses a token the gateway refuses with exit 3, the API message, and stores nothing', async () => {
    const login = await sandbox.run(['login', '--url', gateway.url, '--token', 'srt_wrong']);

    expect(login.code).toBe(ExitCode.auth);
    expect(login.stderr).toBe('error UNAUTHORIZED: Invalid or expired token\n');
    await expect(stat(sandbox.configFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('signs in by magic link: --email asks for the link, --magic-link trades it for an API token of the CLI', async () => {
    const asked = await sandbox.run(['login', '--url', gateway.url, '--email', 'ana@example.test']);
    expect(asked.code).toBe(ExitCode.ok);
    expect(asked.stdout).toContain('--magic-link');
    expect(
      JSON.parse(gateway.requestsTo('POST', '/api/v1/auth/magic-link')[0]?.body.toString() ?? '{}'),
    ).toEqual({
      email: 'ana@example.test',
    });

    // The mailed link opens the console on its gateway, so no --url is needed to finish.
    const link = `${gateway.url}/sign-in/verify?token=link-secret`;
    const finished = await sandbox.run(['login', '--magic-link', link, '--json']);

    expect(finished.code).toBe(ExitCode.ok);
    // The token is POSTed, as the console does; the console page itself is never fetched.
    expect(
      JSON.parse(gateway.requestsTo('POST', '/api/v1/auth/magic-link/verify')[0]?.body.toString() ?? '{}'),
    ).toEqual({ token: 'link-secret' });
    expect(gateway.requestsTo('GET', '/sign-in/verify')).toEqual([]);
    const created = gateway.requestsTo('POST', '/api/v1/tokens')[0];
    expect(created?.headers.authorization).toBe('Bearer jwt-session');
    expect(JSON.parse(created?.body.toString() ?? '{}')).toMatchObject({
      scopes: ['jobs:read', 'jobs:write'],
    });
    // The short session is ended; only the API token is kept.
    expect(
      JSON.parse(gateway.requestsTo('POST', '/api/v1/auth/sign-out')[0]?.body.toString() ?? '{}'),
    ).toEqual({
      refresh_token: 'refresh-1',
    });
    const stored = await storedConfig();
    expect(stored['url']).toBe(gateway.url);
    expect(stored['token']).toMatch(/^srt_/);
    expect(gateway.tokens.has(stored['token'] ?? '')).toBe(true);
  });

  it('reads the token and the gateway of the console link, and of the older API link', () => {
    expect(parseMagicLink('https://sr.example.test/sign-in/verify?token=abc')).toEqual({
      token: 'abc',
      gatewayUrl: 'https://sr.example.test',
    });
    expect(parseMagicLink('https://example.test/scriptripper/sign-in/verify?token=abc')).toEqual({
      token: 'abc',
      gatewayUrl: 'https://example.test/scriptripper',
    });
    expect(parseMagicLink('https://sr.example.test/api/v1/auth/magic-link/verify?token=abc')).toEqual({
      token: 'abc',
      gatewayUrl: 'https://sr.example.test',
    });
    expect(parseMagicLink('  abc  ')).toEqual({ token: 'abc' });
  });

  it('refuses a spent magic link with exit 3 and the API message', async () => {
    const finished = await sandbox.run(['login', '--url', gateway.url, '--magic-link', 'spent-secret']);

    expect(finished.code).toBe(ExitCode.auth);
    expect(finished.stderr).toContain('error UNAUTHORIZED: This sign-in link is invalid or has expired');
  });

  it('logout forgets the token and keeps the URL', async () => {
    await sandbox.run(['login', '--url', gateway.url, '--token', 'srt_good']);

    const logout = await sandbox.run(['logout']);
    expect(logout.code).toBe(ExitCode.ok);
    expect(await storedConfig()).toEqual({ url: gateway.url });

    const after = await sandbox.run(['jobs', 'list']);
    expect(after.code).toBe(ExitCode.auth);
    expect(after.stderr).toContain('Not signed in');
  });
});
