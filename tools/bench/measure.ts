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

/** Best of a few runs: the machine is shared, so one slow run says little. */
export async function bestOf(runs: number, measure: () => Promise<Throughput>): Promise<Throughput> {
  let best: Throughput | undefined;
  for (let i = 0; i < runs; i++) {
    const result = await measure();
    if (!best || result.perSecond > best.perSecond) best = result;
  }
  if (!best) throw new Error('bestOf needs at least one run');
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
