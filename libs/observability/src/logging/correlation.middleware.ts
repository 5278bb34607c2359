import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { correlationIdOf, runWithCorrelationId } from './correlation-context';

/** Gives each HTTP request its correlation id, echoed as `X-Request-Id`, for all it does. */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const correlationId = correlationIdOf(request);
    response.setHeader('x-request-id', correlationId);
    runWithCorrelationId(correlationId, next);
  }
}
