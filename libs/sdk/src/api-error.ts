import type { components } from './generated/schema';

/** The one error shape of the API: `{ "error": { "code", "message", "retryable" } }`. */
export type ApiErrorBody = components['schemas']['ErrorResponseDto'];

/** Whether a parsed response body is the API's error shape. */
export function isApiErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, retryable } = error as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string' && typeof retryable === 'boolean';
}

/**
 * An error answer of the API as an Error: its HTTP status, code (VALIDATION_FAILED,
 * UNAUTHORIZED, ...), message (written for people) and whether a retry may succeed; a
 * `Retry-After` in seconds when the answer had one.
 */
export class ScriptRipperApiError extends Error {
  override readonly name = 'ScriptRipperApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** The error of an answer: its error body when it has one, otherwise one made from its status. */
  static of(response: Response, body: unknown): ScriptRipperApiError {
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    const seconds = Number.isFinite(retryAfter) ? retryAfter : null;
    if (isApiErrorBody(body)) {
      const { code, message, retryable } = body.error;
      return new ScriptRipperApiError(response.status, code, message, retryable, seconds);
    }
    const retryable = response.status === 429 || response.status >= 500;
    return new ScriptRipperApiError(
      response.status,
      response.status >= 500 ? 'UNAVAILABLE' : 'HTTP_ERROR',
      `The API answered ${response.status} ${response.statusText}`.trim(),
      retryable,
      seconds,
    );
  }
}

/** What every call of the client answers. */
export interface ApiResult<Data> {
  readonly data?: Data;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The data of a successful call, or a thrown `ScriptRipperApiError`:
 * `const job = await dataOrThrow(client.GET('/api/v1/jobs/{id}', ...))`.
 * A success without a body (204) answers undefined.
 */
export async function dataOrThrow<Data>(call: Promise<ApiResult<Data>> | ApiResult<Data>): Promise<Data> {
  const { data, error, response } = await call;
  if (!response.ok) throw ScriptRipperApiError.of(response, error);
  return data as Data;
}
