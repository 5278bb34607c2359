import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { endSpan, runInSpan, SpanKind, startSpan } from '../tracing/trace-context';
import { correlationIdOf, runWithCorrelationId } from './correlation-context';

const requestSpan = Symbol('scriptripper:request-span');
type RequestWithSpan = IncomingMessage & { [requestSpan]?: Span };

/**
 * Gives each HTTP request its correlation id, echoed as `X-Request-Id`, for all it does; and,
 * when tracing is on, a server span continuing the request's `traceparent` header, current for
 * all the request does (its RPCs become child spans). `HttpMetricsHook` names and ends it.
 */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const correlationId = correlationIdOf(request);
    response.setHeader('x-request-id', correlationId);
    const traceparent = request.headers['traceparent'];
    const span = startSpan(request.method ?? 'HTTP', {
      kind: SpanKind.SERVER,
      traceparent: typeof traceparent === 'string' ? traceparent : null,
      attributes: {
        'http.request.method': request.method ?? '',
        'scriptripper.correlation_id': correlationId,
      },
    });
    if (span) {
      (request as RequestWithSpan)[requestSpan] = span;
      // A request that never reaches `onResponse` (client gone) still ends its span; a turn
      // later, as Fastify may run its hooks on this same event, after this listener.
      response.once('close', () => setImmediate(() => endRequestSpan(request)));
    }
    runInSpan(span, () => runWithCorrelationId(correlationId, next));
  }
}

/** Names the request's span by its route template, records the status and ends it; once. */
export function endRequestSpan(request: IncomingMessage, route?: string, statusCode?: number): void {
  const withSpan = request as RequestWithSpan;
  const span = withSpan[requestSpan];
  if (!span) return;
  delete withSpan[requestSpan];
  if (route) {
    span.updateName(`${request.method} ${route}`);
    span.setAttribute('http.route', route);
  }
  if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
  endSpan(span, statusCode !== undefined && statusCode >= 500 ? { code: `HTTP ${statusCode}` } : undefined);
}
