import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { Scopes } from '@scriptripper/contracts';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';
import type { CommandContext } from '../command-context';
import { ExitCode } from '../exit-codes';
import { readConfig, writeConfig } from '../settings/config-file';
import { normaliseGatewayUrl } from '../settings/settings';
import type { CommandRunner } from './command-runner';

interface LoginOptions {
  readonly email?: string;
  readonly magicLink?: string;
}

/** What a token made from a magic-link sign-in may do: the CLI's commands, nothing more. */
const CLI_TOKEN_SCOPES = [Scopes.jobsRead, Scopes.jobsWrite];

export function registerLoginCommand(program: Command, run: CommandRunner): void {
  program
    .command('login')
    .summary('Sign in: store the gateway URL and an API token')
    .description(
      'Store the gateway URL and an API token in the config file (mode 0600). ' +
        'With --token, or the token on stdin or typed at the prompt; or by magic link: ' +
        '--email sends the link, then --magic-link <link> finishes.',
    )
    .option('--email <address>', 'send a sign-in link to this address')
    .option('--magic-link <link>', 'finish signing in with the link from the mail (or its token)')
    .action(run<LoginOptions>(login));

  program
    .command('logout')
    .description('Forget the stored token (the gateway URL stays)')
    .action(run(logout));
}

async function login(context: CommandContext, options: LoginOptions): Promise<number> {
  if (options.email && options.magicLink) throw CliError.usage('give --email or --magic-link, not both');
  if (options.email) return requestLink(context, options.email);
  const settings = await context.settings();
  let url = settings.url;
  let token: string;
  if (options.magicLink) {
    const link = parseMagicLink(options.magicLink);
    // The link names the gateway it came from; an explicit --url or SCRIPTRIPPER_URL still wins.
    if (link.gatewayUrl && (settings.urlSource === 'config' || settings.urlSource === 'default')) {
      url = link.gatewayUrl;
    }
    token = await tokenFromMagicLink(context, url, link.token);
  } else {
    token = context.options.token?.trim() || (await readToken(context.io));
    if (!token) throw CliError.usage('no token given (use --token, stdin, or `login --email`)');
  }
  // Checked before it is stored: a mistyped token is refused now, not at the next command.
  const user = await context.apiWith(url, token).me();
  const stored = await readConfig(settings.configPath);
  await writeConfig(settings.configPath, { ...stored, url, token });
  context.output.result({ url, user, config_path: settings.configPath }, () =>
    context.output.line(`Signed in to ${url} as ${user.email}; saved in ${settings.configPath}`),
  );
  return ExitCode.ok;
}

async function requestLink(context: CommandContext, email: string): Promise<number> {
  const api = await context.anonymousApi();
  await api.requestMagicLink(email);
  context.output.result({ url: api.baseUrl, email, sent: true }, () => {
    context.output.line(`A sign-in link is on its way to ${email}.`);
    context.output.line(`Then run: scriptripper login --magic-link '<the link from the mail>'`);
  });
  return ExitCode.ok;
}

/**
 * A magic-link sign-in gives a short session; the CLI trades it for an API token of its own
 * (jobs:read, jobs:write) and ends the session, so nothing long-lived but that token is kept.
 */
async function tokenFromMagicLink(context: CommandContext, url: string, secret: string): Promise<string> {
  const api = await context.anonymousApi(url);
  const session = await api.verifyMagicLink(secret);
  const name = `scriptripper CLI on ${hostname()}`.slice(0, 100);
  const created = await api.createApiToken(session.access_token, name, CLI_TOKEN_SCOPES);
  if (session.refresh_token) {
    await api.signOut(session.access_token, session.refresh_token).catch(() => undefined);
  }
  return created.token;
}

/**
 * The mailed link, which opens the web console (`https://host/sign-in/verify?token=abc`), an
 * older API link (`https://host/api/v1/auth/magic-link/verify?token=abc`), or just `abc`. The
 * token is POSTed either way, as the console does; the link's host is the gateway's.
 */
export function parseMagicLink(value: string): { token: string; gatewayUrl?: string } {
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return { token: trimmed };
  const url = new URL(trimmed);
  const token = url.searchParams.get('token');
  if (!token) throw CliError.usage('the magic link has no token in it');
  const at = [url.pathname.indexOf('/api/v1/'), url.pathname.lastIndexOf('/sign-in/verify')].find(
    (index) => index >= 0,
  );
  const base = `${url.origin}${at === undefined ? '' : url.pathname.slice(0, at)}`;
  return { token, gatewayUrl: normaliseGatewayUrl(base) };
}

/** The token from stdin when it is piped, else typed at a prompt without echo. */
async function readToken(io: CliIo): Promise<string> {
  if (!io.stdin.isTTY) {
    let text = '';
    for await (const chunk of io.stdin) text += chunk.toString();
    return text.trim();
  }
  io.stderr.write('API token: ');
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: io.stdin, output: muted, terminal: true });
  try {
    const answer = await new Promise<string>((resolve) => reader.question('', resolve));
    io.stderr.write('\n');
    return answer.trim();
  } finally {
    reader.close();
  }
}

async function logout(context: CommandContext): Promise<number> {
  const settings = await context.settings();
  const stored = await readConfig(settings.configPath);
  const { token: _forgotten, ...rest } = stored;
  await writeConfig(settings.configPath, rest);
  context.output.result({ config_path: settings.configPath, signed_out: true }, () =>
    context.output.line(`Token removed from ${settings.configPath}`),
  );
  return ExitCode.ok;
}
