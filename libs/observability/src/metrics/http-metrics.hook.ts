import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Histogram } from 'prom-client';
import { endRequestSpan } from '../logging/correlation.middleware';

export const HTTP_DURATION_HISTOGRAM = Symbol('HTTP_DURATION_HISTOGRAM');

/**
 * Times every request in a Fastify `onResponse` hook, which also sees 404s and requests
 * refused by guards, labelled by route template (never the raw URL, which would explode the
 * label set); and ends the request's trace span (see `CorrelationMiddleware`).
 */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(HTTP_DURATION_HISTOGRAM)
    private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.httpDuration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      endRequestSpan(request.raw, route, reply.statusCode);
    });
  }
}
