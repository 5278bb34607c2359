/** Small timing helpers for the benchmarks: figures, never pass/fail thresholds. */
export interface Throughput {
  readonly label: string;
  readonly count: number;
  readonly seconds: number;
  readonly perSecond: number;
}

export interface Latency {
  readonly label: string;
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function measureThroughput(
  label: string,
  count: number,
  work: () => Promise<void>,
): Promise<Throughput> {
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { label, count, seconds, perSecond: count / seconds };
}

export async function measureLatency(
  label: string,
  count: number,
  once: () => Promise<void>,
): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await once();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return latencyOf(label, samples);
}

/** p50 and p99 of latency samples in milliseconds. */
export function latencyOf(label: string, samplesMs: readonly number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { label, count: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/**
 * Best of a few rounds for each measurement, the measurements taking turns within a round:
 * the machine is shared and its load drifts, so a figure and its baseline are taken side by
 * side, never one batch after the other.
 */
export async function bestOfInterleaved<K extends string>(
  rounds: number,
  measurements: Record<K, () => Promise<Throughput>>,
): Promise<Record<K, Throughput>> {
  const best = {} as Record<K, Throughput>;
  for (let round = 0; round < rounds; round++) {
    for (const key of Object.keys(measurements) as K[]) {
      const result = await measurements[key]();
      if (!best[key] || result.perSecond > best[key].perSecond) best[key] = result;
    }
  }
  return best;
}

export function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setImmediate(check);
    };
    check();
  });
}

export function formatRate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Wall time of a synchronous piece of work over several runs. */
export interface Timing {
  readonly label: string;
  readonly runs: number;
  readonly bestMs: number;
  readonly medianMs: number;
}

/**
 * Times synchronous work the same way as `bestOfInterleaved`: each round runs every piece once,
 * in turn, so a figure and its baseline share the machine's load of the moment.
 */
export function timeInterleaved<K extends string>(
  runs: number,
  labels: Record<K, string>,
  work: Record<K, () => unknown>,
): Record<K, Timing> {
  const keys = Object.keys(work) as K[];
  const samples = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  for (let run = 0; run < runs; run++) {
    for (const key of keys) {
      const started = process.hrtime.bigint();
      work[key]();
      samples[key].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return Object.fromEntries(
    keys.map((key) => {
      const sorted = [...samples[key]].sort((a, b) => a - b);
      const timing: Timing = {
        label: labels[key],
        runs,
        bestMs: sorted[0] ?? 0,
        medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
      };
      return [key, timing];
    }),
  ) as Record<K, Timing>;
}
