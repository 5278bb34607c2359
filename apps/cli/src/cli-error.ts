import { ExitCode, exitCodeOfStatus } from './exit-codes';

/**
 * An error the CLI reports as one line (`error CODE: message`) and an exit code, never as a
 * stack trace (unless `--debug`).
 */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }

  static usage(message: string): CliError {
    return new CliError('USAGE', message, ExitCode.usage);
  }

  static notSignedIn(): CliError {
    return new CliError(
      'UNAUTHORIZED',
      'Not signed in: run `scriptripper login`, or set SCRIPTRIPPER_TOKEN or --token',
      ExitCode.auth,
    );
  }
}

/** An answer of the gateway in the one error shape `{ error: { code, message, retryable } }`. */
export class ApiRequestError extends CliError {
  constructor(
    /** 0 when no answer came (the gateway could not be reached). */
    readonly status: number,
    code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(code, message, exitCodeOfStatus(status));
    this.name = 'ApiRequestError';
  }
}
