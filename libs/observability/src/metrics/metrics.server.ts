import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY, metricsText } from './metrics-registry';

export const METRICS_LISTEN = Symbol('METRICS_LISTEN');

/**
 * `GET /metrics` on a port of its own (METRICS_PORT), so a service whose HTTP port is public (the
 * gateway) never shows its metrics there; Prometheus scrapes this port, which only the cluster
 * reaches. Anything else on it answers 404.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server;

  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(METRICS_LISTEN) private readonly listen: { readonly port: number; readonly host: string },
  ) {
    this.server = createServer((request, response) => {
      if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      metricsText(this.registry).then(
        (text) =>
          response
            .writeHead(200, {
              'content-type': 'text/plain; version=0.0.4; charset=utf-8',
              'cache-control': 'no-store',
            })
            .end(text),
        () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
      );
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.listen.port, this.listen.host, () => resolve());
    });
  }

  onApplicationShutdown(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The port it listens on (a free one when METRICS_PORT is 0). */
  port(): number {
    return (this.server.address() as AddressInfo).port;
  }
}
