import { ErrorCodes } from '@scriptripper/contracts';
import { ApiRequestError, CliError } from '../cli-error';

export type Query = Readonly<Record<string, string | number | undefined>>;

export interface RequestOptions {
  readonly query?: Query;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as multipart/form-data instead. */
  readonly form?: FormData;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sign-in routes are public: they go without the token. */
  readonly anonymous?: boolean;
}

/**
 * The gateway's `/api/v1` over Node's own fetch: one bearer token, JSON in and out, and every
 * refusal turned into an {@link ApiRequestError} carrying the API's code and message.
 */
export class ApiClient {
  constructor(
    /** The gateway's base URL, without `/api/v1`. */
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  post<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, options);
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (!options.anonymous) {
      if (!this.token) throw CliError.notSignedIn();
      headers['authorization'] = `Bearer ${this.token}`;
    }
    let body: string | FormData | undefined;
    if (options.form) body = options.form;
    else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await this.fetch(this.urlOf(`/api/v1${path}`, options.query), {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    if (!response.ok) throw errorOfAnswer(response.status, text, `${method} ${path}`);
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiRequestError(
        response.status,
        ErrorCodes.internal,
        `${method} ${path} answered no JSON`,
        false,
      );
    }
  }

  /** A download: a signed URL is absolute or relative to the gateway; it carries its own authority, so no token. */
  async download(url: string): Promise<Response> {
    const response = await this.fetch(new URL(url, `${this.baseUrl}/`).toString(), { method: 'GET' });
    if (!response.ok) throw errorOfAnswer(response.status, await response.text(), 'download');
    return response;
  }

  urlOf(path: string, query?: Query): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
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
