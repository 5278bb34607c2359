import { CliError } from '../cli-error';
import { configFilePath, readConfig } from './config-file';

/** Where the gateway is when nothing says otherwise: `npm start`'s default port. */
export const DEFAULT_URL = 'http://127.0.0.1:3000';

export interface SettingFlags {
  readonly url?: string;
  readonly token?: string;
}

export type SettingSource = 'flag' | 'environment' | 'config' | 'default';

export interface Settings {
  /** The gateway's base URL, without `/api/v1`. */
  readonly url: string;
  readonly urlSource: SettingSource;
  readonly token: string | undefined;
  readonly tokenSource: SettingSource | undefined;
  readonly configPath: string;
}

/**
 * Each setting from the first that has it: flags, then SCRIPTRIPPER_URL / SCRIPTRIPPER_TOKEN,
 * then the config file `login` wrote. Empty values count as absent.
 */
export async function resolveSettings(flags: SettingFlags, env: NodeJS.ProcessEnv): Promise<Settings> {
  const configPath = configFilePath(env);
  const stored = await readConfig(configPath);
  const url = firstOf([
    ['flag', flags.url],
    ['environment', env['SCRIPTRIPPER_URL']],
    ['config', stored.url],
    ['default', DEFAULT_URL],
  ]);
  const token = firstOf([
    ['flag', flags.token],
    ['environment', env['SCRIPTRIPPER_TOKEN']],
    ['config', stored.token],
  ]);
  return {
    url: normaliseGatewayUrl(url?.[1] ?? DEFAULT_URL),
    urlSource: url?.[0] ?? 'default',
    token: token?.[1],
    tokenSource: token?.[0],
    configPath,
  };
}

function firstOf(
  candidates: readonly [SettingSource, string | undefined][],
): [SettingSource, string] | undefined {
  for (const [source, value] of candidates) {
    const trimmed = value?.trim();
    if (trimmed) return [source, trimmed];
  }
  return undefined;
}

/** `http://host:3000/`, `http://host:3000/api/v1` -> `http://host:3000`; anything not http(s) is refused. */
export function normaliseGatewayUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw CliError.usage(`"${raw}" is not a URL (expected e.g. ${DEFAULT_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw CliError.usage(`"${raw}" must be an http:// or https:// URL`);
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return `${url.origin}${path}`;
}
