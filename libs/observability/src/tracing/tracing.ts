import { hostname } from 'node:os';
import { context, propagation, trace } from '@opentelemetry/api';
import { setTracingActive } from './trace-context';

export interface TracingOptions {
  /** `service.name` of every span. */
  readonly service: string;
  /** `service.instance.id`; the host name when unset. */
  readonly instance?: string;
}

interface Provider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

let provider: Provider | undefined;

/**
 * Whether spans are exported: only when an OTLP endpoint is configured
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) and
 * `OTEL_SDK_DISABLED` is not `true`.
 */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  return Boolean(
    env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim(),
  );
}

/**
 * Starts the OpenTelemetry trace SDK with an OTLP/HTTP (JSON) exporter when configured, and
 * answers whether it did. Not configured, nothing is loaded: the API stays a no-op and the
 * span helpers return at once. The exporter reads the standard `OTEL_EXPORTER_OTLP_*`
 * settings (endpoint, headers, timeout), the batch processor `OTEL_BSP_*`, the sampler
 * `OTEL_TRACES_SAMPLER`/`OTEL_TRACES_SAMPLER_ARG`. Idempotent.
 */
export function startTracing(options: TracingOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  if (provider) return true;
  if (!tracingConfigured(env)) return false;
  // Loaded only here, so an unconfigured service never loads the SDK.
  const { NodeTracerProvider } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const tracerProvider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.service,
      'service.namespace': 'scriptripper',
      'service.instance.id': options.instance ?? hostname(),
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(env) }))],
  });
  // Registers the AsyncLocalStorage context manager and the W3C propagator with the global API.
  tracerProvider.register();
  provider = tracerProvider;
  setTracingActive(true);
  return true;
}

/** Sends the spans still buffered; for tests that read what was exported. */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** Flushes and stops the SDK (at shutdown); spans after this are not recorded. */
export async function shutdownTracing(): Promise<void> {
  const current = provider;
  if (!current) return;
  provider = undefined;
  setTracingActive(false);
  await current.shutdown().catch(() => undefined);
  // Lets a later `startTracing` in the same process register its provider.
  trace.disable();
  context.disable();
  propagation.disable();
}

/** The traces endpoint as the OTLP specification derives it: the signal's own, or the base + `/v1/traces`. */
function tracesUrl(env: NodeJS.ProcessEnv): string {
  const own = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim();
  if (own) return own;
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() ?? '';
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}
