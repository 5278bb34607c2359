import { Gauge, Histogram, register as globalRegistry, type Registry } from 'prom-client';

export type AppendOutcome = 'ok' | 'conflict' | 'error';

/** How far one service's outbox relay is behind: rows committed and not yet published. */
export interface RelayLag {
  readonly unpublished: number;
  /** Age of the oldest of them; 0 when there are none. */
  readonly oldestAgeSeconds: number;
}

/** Reports the lag of one relay; asked at scrape time. */
export type RelayLagSource = () => Promise<RelayLag>;

/**
 * The event store's Prometheus metrics on prom-client's global registry (served by every
 * service's `/metrics`), labelled by `service` (the schema, which is the service's name).
 * Append latency is observed per append; relay lag is read from Postgres at scrape time.
 */
export class EventStoreMetrics {
  private static readonly byRegistry = new WeakMap<Registry, EventStoreMetrics>();

  static in(registry: Registry = globalRegistry): EventStoreMetrics {
    let metrics = EventStoreMetrics.byRegistry.get(registry);
    if (!metrics) {
      metrics = new EventStoreMetrics(registry);
      EventStoreMetrics.byRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private readonly appendDuration: Histogram<'service' | 'outcome'>;
  private readonly lagSources = new Map<RelayLagSource, string>();

  private constructor(registry: Registry) {
    this.appendDuration = new Histogram({
      name: 'scriptripper_event_store_append_duration_seconds',
      help: 'Seconds one append took (events, inline projections and outbox rows in one transaction), by outcome',
      labelNames: ['service', 'outcome'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    const sources = this.lagSources;
    const lagGauge = (name: string, help: string, pick: (lag: RelayLag) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['service'] as const,
        registers: [registry],
        async collect() {
          this.reset();
          for (const [source, service] of sources) {
            const lag = await source().catch(() => null);
            if (lag) this.set({ service }, pick(lag));
          }
        },
      });
    lagGauge(
      'scriptripper_outbox_unpublished_messages',
      'Outbox rows committed and not yet published by the relay',
      (lag) => lag.unpublished,
    );
    lagGauge(
      'scriptripper_outbox_oldest_unpublished_age_seconds',
      'Age in seconds of the oldest outbox row not yet published (0 when none): the relay lag',
      (lag) => lag.oldestAgeSeconds,
    );
  }

  observeAppend(service: string, outcome: AppendOutcome, seconds: number): void {
    this.appendDuration.observe({ service, outcome }, seconds);
  }

  /** Reports `service`'s relay lag at every scrape until the returned function is called. */
  addRelayLagSource(service: string, source: RelayLagSource): () => void {
    this.lagSources.set(source, service);
    return () => this.lagSources.delete(source);
  }
}
