import type { ErrorBody } from '@scriptripper/contracts';
import { ErrorCodes } from '@scriptripper/contracts';

/** HTTP status of each platform error code; anything else is a 500. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  [ErrorCodes.validationFailed]: 400,
  [ErrorCodes.unauthorized]: 401,
  [ErrorCodes.forbidden]: 403,
  [ErrorCodes.notFound]: 404,
  [ErrorCodes.conflict]: 409,
  [ErrorCodes.concurrencyConflict]: 409,
  [ErrorCodes.payloadTooLarge]: 413,
  [ErrorCodes.rateLimited]: 429,
  [ErrorCodes.gone]: 410,
  [ErrorCodes.quotaExceeded]: 429,
  [ErrorCodes.spendCapReached]: 402,
  [ErrorCodes.rpcTimeout]: 503,
  [ErrorCodes.unavailable]: 503,
};

export function statusOfCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

/** Code of an HTTP status the gateway did not choose itself (Nest's and Fastify's own errors). */
export function codeOfStatus(status: number): string {
  switch (status) {
    case 401:
      return ErrorCodes.unauthorized;
    case 403:
      return ErrorCodes.forbidden;
    case 404:
    case 405:
      return ErrorCodes.notFound;
    case 409:
      return ErrorCodes.conflict;
    case 413:
      return ErrorCodes.payloadTooLarge;
    case 429:
      return ErrorCodes.rateLimited;
    case 503:
      return ErrorCodes.unavailable;
    default:
      return status >= 400 && status < 500 ? ErrorCodes.validationFailed : ErrorCodes.internal;
  }
}

/** An error the client sees as `{ error: { code, message, retryable } }` with the code's status. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly body: ErrorBody,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.message);
    this.name = 'ApiError';
    this.status = statusOfCode(body.code);
  }

  static unauthorized(message = 'Authentication required'): ApiError {
    return new ApiError(
      { code: ErrorCodes.unauthorized, message, retryable: false },
      { 'www-authenticate': 'Bearer' },
    );
  }

  static forbidden(message: string): ApiError {
    return new ApiError({ code: ErrorCodes.forbidden, message, retryable: false });
  }

  static validation(message: string): ApiError {
    return new ApiError({ code: ErrorCodes.validationFailed, message, retryable: false });
  }

  static unavailable(message: string): ApiError {
    return new ApiError({ code: ErrorCodes.unavailable, message, retryable: true });
  }

  static rateLimited(retryAfterSeconds: number): ApiError {
    return new ApiError(
      {
        code: ErrorCodes.rateLimited,
        message: `Too many requests; retry in ${retryAfterSeconds} s`,
        retryable: true,
      },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}
