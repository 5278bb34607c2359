import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { CliError } from '../cli-error';
import { ExitCode } from '../exit-codes';

/** What `login` stores: where the gateway is and the API token for it. */
export interface StoredConfig {
  readonly url?: string;
  readonly token?: string;
}

/**
 * `$XDG_CONFIG_HOME/scriptripper/config.json`, or `~/.config/scriptripper/config.json`.
 * The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
 */
export function configFilePath(env: NodeJS.ProcessEnv): string {
  const xdg = env['XDG_CONFIG_HOME'];
  const base = xdg && isAbsolute(xdg) ? xdg : join(env['HOME'] || homedir(), '.config');
  return join(base, 'scriptripper', 'config.json');
}

/** The stored settings; none when the file does not exist yet. */
export async function readConfig(path: string): Promise<StoredConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    const { url, token } = parsed as Record<string, unknown>;
    return {
      ...(typeof url === 'string' ? { url } : {}),
      ...(typeof token === 'string' ? { token } : {}),
    };
  } catch {
    throw new CliError(
      'CONFIG_INVALID',
      `${path} is not valid JSON settings: fix or delete it`,
      ExitCode.usage,
    );
  }
}

/**
 * Writes the settings readable by the owner only (0600, folder 0700): the file holds a secret.
 * Written beside and renamed, so a crash never leaves half a file.
 */
export async function writeConfig(path: string, config: StoredConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // The mode of writeFile is masked by the umask; say it again explicitly.
  await chmod(partial, 0o600);
  await rename(partial, path);
}
