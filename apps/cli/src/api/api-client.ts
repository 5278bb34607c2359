import { ErrorCodes } from '@scriptripper/contracts';
import { createScriptRipperClient, type ScriptRipperClient } from '@scriptripper/sdk';
import { ApiRequestError, CliError } from '../cli-error';

/**
 * The gateway's `/api/v1` through the typed SDK (`@scriptripper/sdk`, generated from the
 * gateway's OpenAPI document): paths, parameters and bodies are checked at compile time.
 * Every call either answers its data or throws an {@link ApiRequestError} with the API's code
 * and message: the answer is read in `fetch` below, so a refusal, a non-JSON answer and an
 * unreachable gateway each become one error, as the CLI reports them.
 */
export class ApiClient {
  private readonly withToken: ScriptRipperClient;
  private readonly withoutToken: ScriptRipperClient;

  constructor(
    /** The gateway's base URL, without `/api/v1`. */
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {
    const common = {
      baseUrl,
      fetch: (request: Request) => this.fetch(request),
      headers: { accept: 'application/json' },
    };
    this.withToken = createScriptRipperClient({ ...common, getToken: () => this.token });
    this.withoutToken = createScriptRipperClient(common);
  }

  /** The API as the signed-in user; refuses (exit 3) when no token is configured. */
  get signedIn(): ScriptRipperClient {
    if (!this.token) throw CliError.notSignedIn();
    return this.withToken;
  }

  /** The API without the stored token: sign-in routes, or a request carrying its own. */
  get anonymous(): ScriptRipperClient {
    return this.withoutToken;
  }

  /** A download: a signed URL is absolute or relative to the gateway; it carries its own authority, so no token. */
  async download(url: string): Promise<Response> {
    const response = await this.reach(new Request(new URL(url, `${this.baseUrl}/`)));
    if (!response.ok) throw errorOfAnswer(response.status, await response.text(), 'download');
    return response;
  }

  /** Every API call's fetch: refusals and answers that are not JSON throw here, with the call's name. */
  private async fetch(request: Request): Promise<Response> {
    const response = await this.reach(request);
    const what = `${request.method} ${new URL(request.url).pathname.replace(/^\/api\/v1/, '')}`;
    const text = await response.text();
    if (!response.ok) throw errorOfAnswer(response.status, text, what);
    if (text) {
      try {
        JSON.parse(text);
      } catch {
        throw new ApiRequestError(response.status, ErrorCodes.internal, `${what} answered no JSON`, false);
      }
    }
    return new Response(text || null, { status: response.status, headers: response.headers });
  }

  private async reach(request: Request): Promise<Response> {
    try {
      return await fetch(request);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new ApiRequestError(
        0,
        ErrorCodes.unavailable,
        `cannot reach the gateway at ${this.baseUrl} (${reason})`,
        true,
      );
    }
  }
}

/** The API's own error when the body has the one shape; otherwise a code from the status. */
export function errorOfAnswer(status: number, text: string, what: string): ApiRequestError {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; retryable?: unknown } };
    const error = parsed.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new ApiRequestError(status, error.code, error.message, error.retryable === true);
    }
  } catch {
    // not JSON: fall through to a message from the status
  }
  return new ApiRequestError(status, codeOfStatus(status), `${what} answered HTTP ${status}`, status >= 500);
}

function codeOfStatus(status: number): string {
  switch (status) {
    case 401:
      return ErrorCodes.unauthorized;
    case 403:
      return ErrorCodes.forbidden;
    case 404:
      return ErrorCodes.notFound;
    case 409:
      return ErrorCodes.conflict;
    case 410:
      return ErrorCodes.gone;
    case 413:
      return ErrorCodes.payloadTooLarge;
    case 429:
      return ErrorCodes.rateLimited;
    case 503:
      return ErrorCodes.unavailable;
    default:
      return status < 500 ? ErrorCodes.validationFailed : ErrorCodes.internal;
  }
}
