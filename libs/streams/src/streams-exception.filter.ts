import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import type { ErrorBody } from '@scriptripper/contracts';
import { toErrorBody } from './error-body';

/**
 * Nest's default RPC filter replaces unknown errors with "Internal server error", which
 * would leave DLQ entries and callers without the real reason. Register this one
 * (`app.useGlobalFilters(new StreamsExceptionFilter())`) to keep the message (never the
 * stack) as `{ code, message, retryable }`.
 */
@Catch()
export class StreamsExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    const body: ErrorBody =
      exception instanceof RpcException ? toErrorBody(exception.getError()) : toErrorBody(exception);
    return throwError(() => body);
  }
}
