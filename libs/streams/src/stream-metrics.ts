import { Counter, Gauge, register as globalRegistry, type Registry } from 'prom-client';

export type StreamCounterName = 'delivered' | 'acked' | 'retried' | 'dead_lettered' | 'ignored' | 'expired';

export interface GroupBacklog {
  readonly stream: string;
  readonly group: string;
  readonly pending: number;
  /** Entries not yet delivered to the group; null when Redis cannot tell (after XDEL/XTRIM). */
  readonly lag: number | null;
}

/** Reports the backlog of the groups one server consumes; asked at scrape time. */
export type BacklogSource = () => Promise<readonly GroupBacklog[]>;

const COUNTER_HELP: Record<StreamCounterName, string> = {
  delivered: 'Stream entries handed to this consumer (new reads and claims)',
  acked: 'Entries acknowledged after their handler succeeded',
  retried: 'Handler failures that will be retried after a backoff',
  dead_lettered: 'Entries moved to dlq:<stream>',
  ignored: 'Entries acknowledged without a handler for their type',
  expired: 'Requests acknowledged unanswered because their deadline had passed',
};

const LABELS = ['stream', 'group'] as const;
type Label = (typeof LABELS)[number];

/**
 * The transport's Prometheus metrics, one set per registry (several servers in one
 * process share it). Gauges are filled at scrape time from XINFO GROUPS.
 */
export class StreamMetrics {
  private static readonly byRegistry = new WeakMap<Registry, StreamMetrics>();

  static in(registry: Registry = globalRegistry): StreamMetrics {
    let metrics = StreamMetrics.byRegistry.get(registry);
    if (!metrics) {
      metrics = new StreamMetrics(registry);
      StreamMetrics.byRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private readonly counters: Record<StreamCounterName, Counter<Label>>;
  private readonly sources = new Set<BacklogSource>();

  private constructor(registry: Registry) {
    const counter = (name: StreamCounterName) =>
      new Counter({
        name: `scriptripper_stream_${name}_total`,
        help: COUNTER_HELP[name],
        labelNames: LABELS,
        registers: [registry],
      });
    this.counters = {
      delivered: counter('delivered'),
      acked: counter('acked'),
      retried: counter('retried'),
      dead_lettered: counter('dead_lettered'),
      ignored: counter('ignored'),
      expired: counter('expired'),
    };
    this.backlogGauge(
      registry,
      'pending',
      'Entries delivered to the group and not yet acked',
      (b) => b.pending,
    );
    this.backlogGauge(registry, 'lag', 'Entries of the stream not yet delivered to the group', (b) => b.lag);
  }

  count(name: StreamCounterName, stream: string, group: string, by = 1): void {
    this.counters[name].inc({ stream, group }, by);
  }

  addBacklogSource(source: BacklogSource): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  private backlogGauge(
    registry: Registry,
    name: string,
    help: string,
    pick: (backlog: GroupBacklog) => number | null,
  ): void {
    const sources = this.sources;
    new Gauge({
      name: `scriptripper_stream_${name}`,
      help,
      labelNames: LABELS,
      registers: [registry],
      async collect() {
        this.reset();
        for (const source of sources) {
          const backlogs = await source().catch(() => []);
          for (const backlog of backlogs) {
            const value = pick(backlog);
            if (value !== null) this.set({ stream: backlog.stream, group: backlog.group }, value);
          }
        }
      },
    });
  }
}
