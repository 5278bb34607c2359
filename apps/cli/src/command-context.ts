import { ApiClient } from './api/api-client';
import { ScriptRipperApi } from './api/scriptripper-api';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';
import { Output } from './output/output';
import { resolveSettings, type Settings } from './settings/settings';
import type { WaitOptions } from './wait';

/** The options every command takes (before or after the command's name). */
export interface GlobalOptions {
  readonly url?: string;
  readonly token?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly debug?: boolean;
  readonly pollInterval?: number;
}

export const DEFAULT_POLL_INTERVAL_MS = 1000;

/** What a command runs with: its I/O, the resolved settings and an API client of them. */
export class CommandContext {
  readonly output: Output;
  private settingsOnce: Promise<Settings> | undefined;

  constructor(
    readonly io: CliIo,
    readonly options: GlobalOptions,
  ) {
    this.output = new Output(io, options.json === true);
  }

  settings(): Promise<Settings> {
    this.settingsOnce ??= resolveSettings(this.options, this.io.env);
    return this.settingsOnce;
  }

  /** A client with the token; refuses (exit 3) when no token is configured anywhere. */
  async api(): Promise<ScriptRipperApi> {
    const settings = await this.settings();
    if (!settings.token) throw CliError.notSignedIn();
    return new ScriptRipperApi(new ApiClient(settings.url, settings.token));
  }

  apiWith(url: string, token: string): ScriptRipperApi {
    return new ScriptRipperApi(new ApiClient(url, token));
  }

  /** A client for the public sign-in routes. */
  async anonymousApi(url?: string): Promise<ScriptRipperApi> {
    return new ScriptRipperApi(new ApiClient(url ?? (await this.settings()).url, undefined));
  }

  waitOptions(timeoutSeconds: number): WaitOptions {
    return { intervalMs: this.options.pollInterval ?? DEFAULT_POLL_INTERVAL_MS, timeoutSeconds };
  }
}
