import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ErrorBody } from '@scriptripper/contracts';
import { ErrorCodes, secondsUntilQuotaReset } from '@scriptripper/contracts';
import { ApiError, codeOfStatus } from './api-error';

interface ErrorReply {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The one error shape of the API, `{ error: { code, message, retryable } }`, for everything:
 * our own errors, Nest's (validation, unknown routes), Fastify's (bad JSON, body too large)
 * and anything unexpected, which is logged and answered as a bare 500 without details.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, headers } = this.toReply(exception);
    if (status >= 500) this.log.error({ err: exception, code: body.code }, 'Request failed');
    if (reply.sent) return;
    void reply.status(status).headers(headers).send({ error: body });
  }

  private toReply(exception: unknown): ErrorReply {
    if (exception instanceof ApiError) return this.fromApiError(exception);
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    const malformed = malformedMultipartMessageOf(exception);
    if (malformed !== undefined) return plain(400, malformed);
    const status = fastifyStatusOf(exception);
    if (status !== undefined && status < 500) {
      return plain(status, (exception as Error).message);
    }
    return plain(500, 'Internal error');
  }

  private fromApiError(error: ApiError): ErrorReply {
    // A service's internal failure message may describe its internals: clients get none of it.
    const body =
      error.status >= 500 && !error.body.retryable
        ? { code: ErrorCodes.internal, message: 'Internal error', retryable: false }
        : error.body;
    return { status: error.status, body, headers: { ...dailyLimitRetryAfter(body), ...error.headers } };
  }

  private fromHttpException(exception: HttpException): ErrorReply {
    const status = exception.getStatus();
    if (status >= 500) return plain(status, 'Internal error');
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : (messageOf((response as { message?: unknown }).message) ?? exception.message);
    return plain(status, message);
  }
}

/**
 * A daily quota or spend cap refused the request (retryable): it resets at the next UTC
 * midnight, so Retry-After counts down to it.
 */
function dailyLimitRetryAfter(body: ErrorBody): Record<string, string> {
  const daily = body.code === ErrorCodes.quotaExceeded || body.code === ErrorCodes.spendCapReached;
  return daily && body.retryable ? { 'retry-after': String(secondsUntilQuotaReset(new Date())) } : {};
}

function plain(status: number, message: string): ErrorReply {
  const code = codeOfStatus(status);
  return {
    status,
    body: { code, message, retryable: code === ErrorCodes.rateLimited || code === ErrorCodes.unavailable },
    headers: {},
  };
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String).join('; ');
  return undefined;
}

/** Fastify's own errors (`FST_ERR_*`) carry the status they mean. */
function fastifyStatusOf(exception: unknown): number | undefined {
  if (!(exception instanceof Error)) return undefined;
  const status = (exception as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

/**
 * The multipart parser (busboy) throws plain errors, without a status, for a body the client
 * got wrong: no or an unusable boundary, a body that ends before its closing boundary. They are
 * the client's mistake (400), not ours (500).
 */
const MALFORMED_MULTIPART =
  /^(Multipart: Boundary not found|Boundary required|The needle cannot .*|Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data)$/;

function malformedMultipartMessageOf(exception: unknown): string | undefined {
  if (!(exception instanceof Error) || !MALFORMED_MULTIPART.test(exception.message)) return undefined;
  return `the multipart/form-data body is malformed (${exception.message}): send a boundary of 1 to 70 characters and close the body with it`;
}
