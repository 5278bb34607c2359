// Logging (pino), Prometheus metrics and health endpoints shared by every service, and the
// entry point's helper (`bootstrapService` for main.ts).
export { bootstrapService, type ServiceDefinition } from './bootstrap/bootstrap-service';
export { createFastifyAdapter } from './bootstrap/fastify-adapter';
export { HealthController, READINESS_CHECKS } from './health/health.controller';
export { PostgresHealthIndicator } from './health/postgres-health.indicator';
export { RedisHealthIndicator } from './health/redis-health.indicator';
export { correlationIdOf, currentCorrelationId, runWithCorrelationId } from './logging/correlation-context';
export { loggerParams, redactQuery, type LoggingOptions } from './logging/logger-params';
export { METRICS_REGISTRY } from './metrics/metrics-registry';
export { MetricsServer } from './metrics/metrics.server';
export { ObservabilityModule, type ObservabilityOptions } from './observability.module';
export {
  DOMAIN_METRIC_NAMES,
  observeAnalysis,
  observeJobDuration,
  recordLlmCall,
  recordLlmUsage,
  registerDomainMetrics,
  type AnalysisOutcome,
  type JobOutcome,
  type LlmCall,
  type LlmUsage,
} from './metrics/domain-metrics';
export { createMetricsRegistry, metricsText } from './metrics/metrics-registry';
export {
  activeTraceId,
  activeTraceparent,
  endSpan,
  inSpan,
  runInSpan,
  SpanKind,
  startSpan,
  traceparentOf,
  tracingActive,
  type SpanOptions,
} from './tracing/trace-context';
export {
  flushTracing,
  shutdownTracing,
  startTracing,
  tracingConfigured,
  type TracingOptions,
} from './tracing/tracing';
