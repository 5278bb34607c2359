import { collectDefaultMetrics, Histogram, register as globalRegistry, Registry } from 'prom-client';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * One registry per app instance (so several apps can boot in one test process), holding the
 * process metrics and the HTTP histogram. Libraries that register on prom-client's global
 * registry are served too (see `MetricsController`).
 */
export function createMetricsRegistry(labels: { service: string; instance: string }): {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
} {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, httpDuration };
}

/** The Prometheus text of this app's registry followed by the global one's. */
export async function metricsText(registry: Registry): Promise<string> {
  const own = await registry.metrics();
  const shared = registry === globalRegistry ? '' : await globalRegistry.metrics();
  return shared ? `${own}\n${shared}` : own;
}
