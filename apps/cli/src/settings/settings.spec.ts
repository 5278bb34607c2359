import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../exit-codes';
import { configFilePath, readConfig, writeConfig } from './config-file';
import { DEFAULT_URL, normaliseGatewayUrl, resolveSettings } from './settings';

describe('settings', () => {
  let folder: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'scriptripper-settings-'));
    env = { HOME: folder, XDG_CONFIG_HOME: join(folder, 'xdg') };
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps the config under $XDG_CONFIG_HOME/scriptripper, else ~/.config/scriptripper', () => {
    expect(configFilePath(env)).toBe(join(folder, 'xdg', 'scriptripper', 'config.json'));
    expect(configFilePath({ HOME: folder })).toBe(join(folder, '.config', 'scriptripper', 'config.json'));
    // The XDG spec: a relative path is invalid and ignored.
    expect(configFilePath({ HOME: folder, XDG_CONFIG_HOME: 'relative' })).toBe(
      join(folder, '.config', 'scriptripper', 'config.json'),
    );
  });

  it('takes each setting from flags, then the environment, then the config file, then the default', async () => {
    expect(await resolveSettings({}, env)).toMatchObject({
      url: DEFAULT_URL,
      urlSource: 'default',
      token: undefined,
    });

    await writeConfig(configFilePath(env), { url: 'http://config.test:1', token: 'from-config' });
    expect(await resolveSettings({}, env)).toMatchObject({
      url: 'http://config.test:1',
      urlSource: 'config',
      token: 'from-config',
      tokenSource: 'config',
    });

    const withEnv = { ...env, SCRIPTRIPPER_URL: 'http://env.test:2', SCRIPTRIPPER_TOKEN: 'from-env' };
    expect(await resolveSettings({}, withEnv)).toMatchObject({
      url: 'http://env.test:2',
      urlSource: 'environment',
      token: 'from-env',
      tokenSource: 'environment',
    });

    expect(await resolveSettings({ url: 'http://flag.test:3', token: 'from-flag' }, withEnv)).toMatchObject({
      url: 'http://flag.test:3',
      urlSource: 'flag',
      token: 'from-flag',
      tokenSource: 'flag',
    });
    // Each setting on its own: a flag for the URL leaves the token to the environment.
    expect(await resolveSettings({ url: 'http://flag.test:3' }, withEnv)).toMatchObject({
      urlSource: 'flag',
      token: 'from-env',
    });
    // An empty variable counts as unset.
    expect(await resolveSettings({}, { ...env, SCRIPTRIPPER_TOKEN: ' ' })).toMatchObject({
      token: 'from-config',
    });
  });

  it('writes the config readable by its owner only', async () => {
    const path = configFilePath(env);
    await writeConfig(path, { url: 'http://a.test', token: 'secret' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(folder, 'xdg', 'scriptripper'))).mode & 0o777).toBe(0o700);
    expect(await readConfig(path)).toEqual({ url: 'http://a.test', token: 'secret' });
  });

  it('refuses a config file that is not JSON settings with a usage error naming it', async () => {
    const path = configFilePath(env);
    await mkdir(join(folder, 'xdg', 'scriptripper'), { recursive: true });
    await writeFile(path, '{ not json');
    await expect(readConfig(path)).rejects.toMatchObject({
      exitCode: ExitCode.usage,
      message: expect.stringContaining(path),
    });
  });

  it('normalises the gateway URL and refuses what is not http(s)', () => {
    expect(normaliseGatewayUrl('http://host:3000/')).toBe('http://host:3000');
    expect(normaliseGatewayUrl('https://host/api/v1/')).toBe('https://host');
    expect(normaliseGatewayUrl('https://host/prefix/api/v1')).toBe('https://host/prefix');
    expect(() => normaliseGatewayUrl('ftp://host')).toThrow('http');
    expect(() => normaliseGatewayUrl('not a url')).toThrow('not a URL');
  });
});
