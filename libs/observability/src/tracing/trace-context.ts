import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';

export { SpanKind } from '@opentelemetry/api';

/**
 * Manual spans around what crosses a process or reaches Postgres: HTTP requests, RPC sends
 * and handlers, stream handlers, event-store appends. Every helper does nothing (and allocates
 * nothing) until `startTracing` turned tracing on, so an unconfigured service pays for none of it.
 */
const state = { active: false };

const TRACER_NAME = 'scriptripper';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function tracingActive(): boolean {
  return state.active;
}

/** Called by `startTracing`/`shutdownTracing` only. */
export function setTracingActive(active: boolean): void {
  state.active = active;
}

export interface SpanOptions {
  readonly kind: SpanKind;
  readonly attributes?: Attributes;
  /**
   * The W3C traceparent the span continues when the current context has no span of its own
   * (a message's envelope, a request's header); null or invalid starts a new trace.
   */
  readonly traceparent?: string | null;
  /** Ignore the current context and continue `traceparent` only (a consumer's handler). */
  readonly remoteParentOnly?: boolean;
}

/** A span started as `options` say, or undefined when tracing is off. End it with `endSpan`. */
export function startSpan(name: string, options: SpanOptions): Span | undefined {
  if (!state.active) return undefined;
  const current = options.remoteParentOnly ? ROOT_CONTEXT : context.active();
  const parent = trace.getSpan(current) ? current : contextOf(options.traceparent, current);
  return trace
    .getTracer(TRACER_NAME)
    .startSpan(name, { kind: options.kind, attributes: options.attributes ?? {} }, parent);
}

/** Runs `work` with `span` as the current span (so spans and traceparents made inside are its children). */
export function runInSpan<T>(span: Span | undefined, work: () => T): T {
  if (!span) return work();
  return context.with(trace.setSpan(context.active(), span), work);
}

/** Ends the span, marking it failed when `error` is given. */
export function endSpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error !== undefined) {
    const code = (error as { code?: unknown } | null)?.code;
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: typeof code === 'string' ? code : error instanceof Error ? error.name : 'error',
    });
  }
  span.end();
}

/** Runs `work` in a new span that ends (failed, if it throws) when `work` settles. */
export async function inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  const span = startSpan(name, options);
  if (!span) return work();
  try {
    const result = await runInSpan(span, work);
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/** The W3C traceparent of `span`, to put on an outgoing message or event. */
export function traceparentOf(span: Span | undefined): string | null {
  if (!span) return null;
  return format(span.spanContext());
}

/** The traceparent of the current span when tracing is on, else null. */
export function activeTraceparent(): string | null {
  if (!state.active) return null;
  const span = trace.getSpan(context.active());
  return span ? format(span.spanContext()) : null;
}

/** The trace id of the current span, for log lines; undefined when tracing is off. */
export function activeTraceId(): string | undefined {
  if (!state.active) return undefined;
  const spanContext = trace.getSpan(context.active())?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** `base` with the remote span of a valid `traceparent` as parent, or `base` itself. */
function contextOf(traceparent: string | null | undefined, base: Context): Context {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match) return base;
  const spanContext: SpanContext = {
    traceId: match[1] as string,
    spanId: match[2] as string,
    traceFlags: parseInt(match[3] as string, 16) & 1,
    isRemote: true,
  };
  return trace.isSpanContextValid(spanContext) ? trace.setSpanContext(base, spanContext) : base;
}

function format(spanContext: SpanContext): string | null {
  if (!trace.isSpanContextValid(spanContext)) return null;
  return `00-${spanContext.traceId}-${spanContext.spanId}-0${spanContext.traceFlags & 1}`;
}
