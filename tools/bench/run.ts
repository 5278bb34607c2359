/**
 * `npm run bench`: the platform's figures next to raw baselines measured in the same run on
 * the same servers, printed and written to docs/performance.md. Figures, never tests: the
 * machine is shared and noisy, so read ratios, not absolute numbers.
 *
 * Uses DATABASE_URL / REDIS_URL when set, embedded servers otherwise (like `npm test`).
 * BENCH_SCALE=0.2 runs a quick, smaller pass. Run it from the repository root.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, deleteKeysWithPrefix, testKeyPrefix } from '@scriptripper/testing';
import { ensureInfrastructure } from '../infra/infrastructure';
import { appendThroughput, withBenchOrm } from './event-store.bench';
import { bestOfInterleaved, formatRate, type Latency, type Throughput } from './measure';
import { nestRedisFigures } from './nest-redis.bench';
import { rawEventAndOutboxThroughput, rawInsertThroughput } from './raw-postgres.bench';
import { rawStreamsRoundTrip, rawStreamsThroughput } from './raw-redis.bench';
import { transportFigures } from './transport.bench';

const scale = Number(process.env['BENCH_SCALE'] ?? '1');
const EVENTS = Math.round(20_000 * scale);
const CALLS = Math.round(2_000 * scale);
const APPENDS = Math.round(3_000 * scale);
const RUNS = 3;

interface Comparison {
  readonly ours: Throughput;
  readonly baseline: Throughput;
}

interface AppendComparison extends Comparison {
  /** The same two rows written by one raw statement: the ceiling without library code. */
  readonly pair: Throughput;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scriptripper-bench-pg-'));
  const infrastructure = await ensureInfrastructure({
    postgresDataDir: dataDir,
    persistent: false,
    log: console.log,
  });
  process.env['DATABASE_URL'] = infrastructure.databaseUrl;
  process.env['REDIS_URL'] = infrastructure.redisUrl;
  const redisUrl = infrastructure.redisUrl;
  const prefix = testKeyPrefix('bench');
  const database = await createTestDatabase('bench');
  try {
    console.log(`\nTransport: ${EVENTS} events, ${CALLS} RPC calls; best of ${RUNS} interleaved rounds.`);
    let rpcLatency: Latency | undefined;
    const transport = await bestOfInterleaved(RUNS, {
      bare: () => rawStreamsThroughput(redisUrl, prefix, EVENTS),
      ours: async () => {
        const runPrefix = `${prefix}t${Math.random().toString(36).slice(2, 6)}:`;
        const figures = await transportFigures(redisUrl, runPrefix, EVENTS, CALLS);
        if (!rpcLatency || figures.latency.p50Ms < rpcLatency.p50Ms) rpcLatency = figures.latency;
        return figures.throughput;
      },
    });
    const rawRoundTrip = await rawStreamsRoundTrip(redisUrl, prefix, CALLS);
    const nest = await nestRedisFigures(redisUrl, prefix, EVENTS, CALLS);
    if (!rpcLatency) throw new Error('no transport latency measured');

    console.log(`\nEvent store: ${APPENDS} appends per measurement; best of ${RUNS} interleaved rounds.`);
    const store = await withBenchOrm(database.url, (orm) =>
      bestOfInterleaved(RUNS, {
        appendOne: () => appendThroughput(orm, 1, APPENDS),
        insertOne: () => rawInsertThroughput(database.url, 1, APPENDS),
        pairOne: () => rawEventAndOutboxThroughput(database.url, 1, APPENDS),
        appendEight: () => appendThroughput(orm, 8, APPENDS),
        insertEight: () => rawInsertThroughput(database.url, 8, APPENDS),
        pairEight: () => rawEventAndOutboxThroughput(database.url, 8, APPENDS),
      }),
    );

    const report = render({
      transport: { ours: transport.ours, baseline: transport.bare },
      nestThroughput: nest.throughput,
      latencies: [rpcLatency, rawRoundTrip, nest.latency],
      appendOne: { ours: store.appendOne, baseline: store.insertOne, pair: store.pairOne },
      appendEight: { ours: store.appendEight, baseline: store.insertEight, pair: store.pairEight },
    });
    console.log(`\n${report}`);
    writeFileSync(join(process.cwd(), 'docs/performance.md'), report);
    console.log('written to docs/performance.md');
  } finally {
    await database.drop();
    await deleteKeysWithPrefix(redisUrl, prefix);
    await infrastructure.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function render(figures: {
  transport: Comparison;
  nestThroughput: Throughput;
  latencies: Latency[];
  appendOne: AppendComparison;
  appendEight: AppendComparison;
}): string {
  const percent = ({ ours, baseline }: Comparison) => Math.round((100 * ours.perSecond) / baseline.perSecond);
  const ratio = (comparison: Comparison) => `${percent(comparison)}%`;
  const verdict = (comparison: Comparison) => (percent(comparison) >= 70 ? 'met' : 'not met');
  const ofCeiling = (comparison: AppendComparison) =>
    percent({ ours: comparison.ours, baseline: comparison.pair });
  const row = (t: Throughput, vs = '') => `| ${t.label} | ${formatRate(t.perSecond)} | ${vs} |`;
  const latencyRow = (l: Latency) => `| ${l.label} | ${l.p50Ms.toFixed(2)} | ${l.p99Ms.toFixed(2)} |`;
  return `# Performance

Measured by \`npm run bench\` (tools/bench) on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores
(${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, client and servers on the same host.
Every platform figure sits next to a raw baseline measured in the same run on the same servers;
read the ratios, not the absolute numbers: the machine is shared and noisy. Aim: the transport
at 70% or more of bare ioredis, appends at 70% or more of raw inserts.

## Transport (Redis Streams): publish -> consume -> ack

| what | messages/s | vs bare ioredis |
|---|---:|---:|
${row(figures.transport.ours, ratio(figures.transport))}
${row(figures.transport.baseline, '100%')}
${row(figures.nestThroughput, 'no acks, no groups, no retries')}

## Request/reply round trip (sequential calls)

| what | p50 ms | p99 ms |
|---|---:|---:|
${figures.latencies.map(latencyRow).join('\n')}

## Event store appends (one event + one outbox row per transaction) vs raw INSERTs

| what | per second | vs raw INSERT |
|---|---:|---:|
${row(figures.appendOne.ours, ratio(figures.appendOne))}
${row(figures.appendOne.pair, ratio({ ours: figures.appendOne.pair, baseline: figures.appendOne.baseline }))}
${row(figures.appendOne.baseline, '100%')}
${row(figures.appendEight.ours, ratio(figures.appendEight))}
${row(figures.appendEight.pair, ratio({ ours: figures.appendEight.pair, baseline: figures.appendEight.baseline }))}
${row(figures.appendEight.baseline, '100%')}

## Against the aims

- Transport at 70% or more of bare ioredis: ${verdict(figures.transport)} in this run
  (${ratio(figures.transport)}). The bare loop leaves out what the transport adds per message:
  envelope validation, dispatch through Nest, ack bookkeeping, metrics.
- Appends at 70% or more of raw single-row INSERTs: ${verdict(figures.appendOne)} with 1 writer
  (${ratio(figures.appendOne)}), ${verdict(figures.appendEight)} with 8 (${ratio(figures.appendEight)}).
  An append must write two rows (the event and its outbox row, in one transaction, so the bus
  can never miss a committed event); against the same two rows written by a bare statement it
  reaches ${ofCeiling(figures.appendOne)}% (1 writer) and ${ofCeiling(figures.appendEight)}% (8 writers). The
  gap to single-row INSERTs is mostly that second row and its indexes; what separates the
  append from the same two raw rows is the library's work per append (the hash chain and its
  canonical JSON, the connection pool, promise plumbing), which weighs most with one writer.

Raw INSERT is one row per transaction with the server's normal durability (fsync and
synchronous_commit as configured). An append is one statement writing the event row and its
outbox row (two rows, eight index entries, three JSON documents) after the version check and the
hash chain; the middle line of each group writes those same two rows with one raw statement,
which is the ceiling an append can reach. Each writer appends to its own stream, whose head the
store remembers; when another instance wrote the head, an append costs one more read.
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
