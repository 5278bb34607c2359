import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@scriptripper/testing';

export interface TestAccount {
  readonly email: string;
  readonly email_verified: boolean;
  readonly name: string;
}

export interface OpenIdProviderOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  /** By login name, which is also the account's `sub`. */
  readonly accounts: Readonly<Record<string, TestAccount>>;
}

export interface RunningOpenIdProvider {
  readonly issuer: string;
  stop(): Promise<void>;
}

/** Starts `provider.mjs` (oidc-provider) in a child process on a free port. */
export async function startOpenIdProvider(options: OpenIdProviderOptions): Promise<RunningOpenIdProvider> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, 'provider.mjs')], {
    env: {
      ...process.env,
      PORT: String(port),
      CLIENT_ID: options.clientId,
      CLIENT_SECRET: options.clientSecret,
      REDIRECT_URI: options.redirectUri,
      ACCOUNTS: JSON.stringify(options.accounts),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  const issuer = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error('the OpenID provider did not start within 30 s')), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`${error.message}\n${stderr}`));
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /^ready (\S+)$/m.exec(stdout);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.once('exit', (code) => fail(new Error(`the OpenID provider exited with ${code}`)));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { issuer, stop };
}
