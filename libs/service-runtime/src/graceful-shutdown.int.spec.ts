import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { StreamPublisher, createEnvelope } from '@scriptripper/streams';
import { deleteKeysWithPrefix, freePort, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { drainingKeys, SLOW_STREAM, SLOW_WORK } from './test-support/draining-service.keys';

const workspaceRoot = resolve(__dirname, '../../..');
/** The fixture as the build compiled it (SCRIPTRIPPER_BUILD_ROOT names a build made with --out-dir). */
const fixture = join(
  resolve(workspaceRoot, process.env['SCRIPTRIPPER_BUILD_ROOT'] ?? 'dist'),
  'libs/service-runtime/src/test-support/draining-service.fixture.js',
);

interface Instance {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: string[];
  readonly exited: Promise<number | null>;
}

/** Polls until `probe` answers something (no timing assertion: it only bounds a hang). */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await probe().catch(() => undefined);
    if (answer !== undefined) return answer;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
}

describe('graceful shutdown of a service process on SIGTERM', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('shutdown');
  let redis: Redis;
  let publisher: StreamPublisher;
  const instances: Instance[] = [];

  async function start(name: string): Promise<Instance> {
    if (!existsSync(fixture)) throw new Error(`${fixture} does not exist: build first (npm run build)`);
    const port = await freePort();
    const child = spawn(process.execPath, [fixture], {
      cwd: workspaceRoot,
      env: {
        PATH: process.env['PATH'],
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: keyPrefix,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        SERVICE_INSTANCE: name,
        LOG_LEVEL: 'info',
        SHUTDOWN_GRACE_MS: '60000',
        STREAMS_CLAIM_IDLE_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) =>
      child.once('exit', (code) => resolveExit(code)),
    );
    const instance = { child, url: `http://127.0.0.1:${port}`, output, exited };
    instances.push(instance);
    await eventually(`${name} to be ready`, async () =>
      (await fetch(`${instance.url}/health/ready`)).status === 200 ? true : undefined,
    );
    return instance;
  }

  const key = (name: string) => keyPrefix + name;
  const valueOf = async (name: string) => (await redis.get(key(name))) ?? undefined;
  const publish = (n: number) => publisher.publish(SLOW_STREAM, createEnvelope(SLOW_WORK, { n }));

  beforeAll(() => {
    redis = new Redis(redisUrl);
    publisher = new StreamPublisher({ redisUrl, keyPrefix });
  });

  afterAll(async () => {
    for (const instance of instances) {
      if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
    }
    await publisher.close();
    redis.disconnect();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  it('finishes the HTTP request and the handler in flight, refuses new work, leaves a later message for another instance, and exits 0', async () => {
    const first = await start('a');
    const before = await publish(1);
    const firstMessage = JSON.parse(
      (await redis.xrange(key(SLOW_STREAM), before, before))[0]?.[1][1] ?? '{}',
    ).id;
    expect(await eventually('the handler to start', () => valueOf(drainingKeys.started(firstMessage)))).toBe(
      'a',
    );
    const slowRequest = fetch(`${first.url}/slow`).then(async (response) => ({
      status: response.status,
      body: await response.json(),
    }));
    await eventually('the slow request to start', () => valueOf(drainingKeys.httpStarted));

    first.child.kill('SIGTERM');

    // Readiness goes 503 at once; liveness still answers; new work is refused, retryably.
    await eventually('readiness to answer 503', async () =>
      (await fetch(`${first.url}/health/ready`)).status === 503 ? true : undefined,
    );
    expect((await fetch(`${first.url}/health/live`)).status).toBe(200);
    // A second SIGTERM while draining (a launcher forwarding it again) changes nothing.
    first.child.kill('SIGTERM');
    const refused = await fetch(`${first.url}/slow`);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({
      error: { code: 'UNAVAILABLE', message: 'This instance is shutting down; retry.', retryable: true },
    });

    // A message arriving while the instance drains is not taken by it.
    const laterId = await publish(2);
    const laterMessage = JSON.parse(
      (await redis.xrange(key(SLOW_STREAM), laterId, laterId))[0]?.[1][1] ?? '{}',
    ).id;

    await redis.set(key(drainingKeys.releaseHandler), '1');
    await redis.set(key(drainingKeys.releaseHttp), '1');

    expect(await slowRequest).toEqual({ status: 200, body: { done: true, instance: 'a' } });
    expect(await first.exited).toBe(0);
    expect(await valueOf(drainingKeys.finished(firstMessage))).toBe('a');
    expect(await valueOf(drainingKeys.started(laterMessage))).toBeUndefined();
    // The first message was acked before the exit: nothing of it is pending in the group.
    const pending = (await redis.xpending(key(SLOW_STREAM), 'worker', '-', '+', 10)) as [string, string][];
    expect(pending.map(([id]) => id)).not.toContain(before);
    expect(first.output.join('')).toContain('draining');

    // Another instance takes the later message over and handles it.
    const second = await start('b');
    expect(
      await eventually('the later message to be handled', () => valueOf(drainingKeys.finished(laterMessage))),
    ).toBe('b');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    // Two service processes start and drain in this test: the bound is for a hang, not a speed check.
  }, 240_000);
});
