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
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { label, count, p50Ms: at(0.5), p99Ms: at(0.99) };
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
