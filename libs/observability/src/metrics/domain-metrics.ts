import { Counter, Histogram, register as globalRegistry, type Registry } from 'prom-client';

/**
 * The platform's own measures beyond HTTP and the transport, on prom-client's global registry
 * (which `/metrics` serves after the app's own): code anywhere in a service records through
 * these functions without reaching the app's Nest container. The metrics appear in a
 * service's `/metrics` once it records its first one (jobs records job durations, the worker
 * analyzer times and LLM figures).
 */

export type JobOutcome = 'completed' | 'failed' | 'cancelled';
export type AnalysisOutcome = 'ok' | 'error';

export interface LlmUsage {
  /** The vendor, e.g. `openai`, `anthropic`, `gemini`. */
  readonly provider: string;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** In US dollars. */
  readonly cost: number;
}

export interface LlmCall {
  readonly provider: string;
  readonly model: string;
  /** `ok`, or an error class such as `timeout`, `rate_limited`, `server_error`, `invalid_output`. */
  readonly outcome: string;
}

/** Every metric name this module can export, for the dashboard and alert checks. */
export const DOMAIN_METRIC_NAMES = {
  jobDuration: 'scriptripper_job_duration_seconds',
  analysisDuration: 'scriptripper_analysis_duration_seconds',
  llmTokens: 'scriptripper_llm_tokens_total',
  llmCost: 'scriptripper_llm_cost_usd_total',
  llmCalls: 'scriptripper_llm_requests_total',
} as const;

/** Job latency SLO buckets: seconds from JobCreated to the terminal event. */
const JOB_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600];
const ANALYSIS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

type Metrics = ReturnType<typeof createDomainMetrics>;
const byRegistry = new WeakMap<Registry, Metrics>();

function createDomainMetrics(registry: Registry) {
  const registers = [registry];
  return {
    jobDuration: new Histogram({
      name: DOMAIN_METRIC_NAMES.jobDuration,
      help: 'Seconds from a job being created to its terminal event, by outcome',
      labelNames: ['outcome'] as const,
      buckets: JOB_BUCKETS,
      registers,
    }),
    analysisDuration: new Histogram({
      name: DOMAIN_METRIC_NAMES.analysisDuration,
      help: "Seconds the worker's analysis provider took for one transcript, by provider, profile and outcome",
      labelNames: ['provider', 'profile', 'outcome'] as const,
      buckets: ANALYSIS_BUCKETS,
      registers,
    }),
    llmTokens: new Counter({
      name: DOMAIN_METRIC_NAMES.llmTokens,
      help: 'LLM tokens used, by provider, model and direction (input or output)',
      labelNames: ['provider', 'model', 'direction'] as const,
      registers,
    }),
    llmCost: new Counter({
      name: DOMAIN_METRIC_NAMES.llmCost,
      help: 'LLM cost in US dollars from the price table, by provider and model',
      labelNames: ['provider', 'model'] as const,
      registers,
    }),
    llmCalls: new Counter({
      name: DOMAIN_METRIC_NAMES.llmCalls,
      help: 'LLM calls, by provider, model and outcome (ok or an error class)',
      labelNames: ['provider', 'model', 'outcome'] as const,
      registers,
    }),
  };
}

function metricsIn(registry: Registry): Metrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = createDomainMetrics(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}

/** Creates the domain metrics in `registry` now (for a scrape or a check of every exported name). */
export function registerDomainMetrics(registry: Registry = globalRegistry): void {
  metricsIn(registry);
}

/** A job reached a terminal state `seconds` after it was created (jobs service, once per job). */
export function observeJobDuration(outcome: JobOutcome, seconds: number, registry = globalRegistry): void {
  if (!Number.isFinite(seconds) || seconds < 0) return;
  metricsIn(registry).jobDuration.observe({ outcome }, seconds);
}

/** One run of an analysis provider over a transcript (worker). */
export function observeAnalysis(
  labels: { readonly provider: string; readonly profile: string; readonly outcome: AnalysisOutcome },
  seconds: number,
  registry = globalRegistry,
): void {
  metricsIn(registry).analysisDuration.observe(labels, seconds);
}

/** Tokens and cost of one successful LLM call (worker's providers). */
export function recordLlmUsage(usage: LlmUsage, registry = globalRegistry): void {
  const metrics = metricsIn(registry);
  const { provider, model } = usage;
  if (usage.inputTokens > 0)
    metrics.llmTokens.inc({ provider, model, direction: 'input' }, usage.inputTokens);
  if (usage.outputTokens > 0)
    metrics.llmTokens.inc({ provider, model, direction: 'output' }, usage.outputTokens);
  if (usage.cost > 0) metrics.llmCost.inc({ provider, model }, usage.cost);
}

/** One LLM call and how it ended; errors by provider feed the "provider error surge" alert. */
export function recordLlmCall(call: LlmCall, registry = globalRegistry): void {
  metricsIn(registry).llmCalls.inc({ provider: call.provider, model: call.model, outcome: call.outcome });
}
