import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { serviceActor } from '@scriptripper/contracts';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { createEnvelope } from './envelope';
import { RedisStreamsContext } from './redis-streams.context';
import { StreamPublisher } from './stream-publisher';
import { forkTypeScript } from './testing-fixtures/run-typescript';
import {
  openRedis,
  Probe,
  startService,
  testServerOptions,
  waitFor,
  type RunningService,
} from './testing-fixtures/test-service';

@Controller()
class AnalysisController {
  constructor(@Inject(Probe) private readonly probe: Probe) {}

  @EventPattern('AnalysisRequested')
  analyse(@Payload() data: unknown, @Ctx() context: RedisStreamsContext) {
    this.probe.handled.push({ type: 'AnalysisRequested', data, deliveries: context.getDeliveries() });
  }
}

describe('a consumer killed mid-message', () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('streams-crash');
  let child: ChildProcess | undefined;
  let survivor: RunningService | undefined;
  let publisher: StreamPublisher;
  let redis: Redis;

  beforeAll(() => {
    publisher = new StreamPublisher({ redisUrl, keyPrefix });
    redis = openRedis(redisUrl);
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await survivor?.app.close();
    await publisher.close();
    await redis.quit();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  it('has its message redelivered to another consumer of the group, which acks it', async () => {
    const fixture = join(__dirname, 'testing-fixtures', 'stuck-consumer.fixture.ts');
    child = forkTypeScript(fixture, { REDIS_URL: redisUrl, KEY_PREFIX: keyPrefix });
    const exited = new Promise((resolve) => child?.once('exit', (_code, signal) => resolve(signal)));
    await waitFor(
      async () =>
        ((await redis.xinfo('GROUPS', `${keyPrefix}work:analysis`).catch(() => [])) as []).length > 0,
      'the child to create its group',
    );
    await publisher.publish(
      'work:analysis',
      createEnvelope('AnalysisRequested', { jobId: 'j-7' }, { actor: serviceActor('jobs') }),
    );
    await waitFor(async () => (await redis.get(`${keyPrefix}child:started`)) === 'j-7', 'the child to start');

    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const [pendingBefore] = (await redis.xpending(`${keyPrefix}work:analysis`, 'worker')) as [number];
    expect(pendingBefore).toBe(1);

    const probe = new Probe();
    survivor = await startService(
      AnalysisController,
      probe,
      testServerOptions({
        redisUrl,
        keyPrefix,
        service: 'worker',
        streams: ['work:analysis'],
        claimIdleMs: 1_000,
      }),
    );
    await waitFor(() => probe.handled.length === 1, 'the redelivery');
    expect(probe.handled[0]).toEqual({ type: 'AnalysisRequested', data: { jobId: 'j-7' }, deliveries: 2 });
    await waitFor(
      async () => ((await redis.xpending(`${keyPrefix}work:analysis`, 'worker')) as [number])[0] === 0,
      'the ack',
    );
  });
});
