import { Controller, Inject } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { lastValueFrom } from 'rxjs';
import { serviceActor } from '@scriptripper/contracts';
import { startThrowawayRedis, type ThrowawayRedis } from '@scriptripper/testing';
import { createEnvelope, withContext } from './envelope';
import { RedisStreamsClient } from './redis-streams.client';
import type { EpochChange } from './stream-epoch';
import { StreamPublisher } from './stream-publisher';
import {
  openRedis,
  Probe,
  startService,
  testServerOptions,
  waitFor,
  type RunningService,
} from './testing-fixtures/test-service';

@Controller()
class JobsController {
  constructor(@Inject(Probe) private readonly probe: Probe) {}

  @EventPattern('JobQueued')
  queued(@Payload() data: { label: string }) {
    this.probe.handled.push({ type: 'JobQueued', data, deliveries: 1 });
  }

  @MessagePattern('jobs.ping')
  ping() {
    return 'pong';
  }
}

describe('surviving Redis losing everything', () => {
  const keyPrefix = 'sr:';
  const probe = new Probe();
  const labels = () => probe.handled.map((h) => (h.data as { label: string }).label);
  let redisServer: ThrowawayRedis;
  let service: RunningService;
  let publisher: StreamPublisher;
  let client: RedisStreamsClient;
  let admin: Redis;

  /** Publishing fails while Redis is away; keep trying until it is back. */
  const publishSoon = (label: string) =>
    waitFor(
      () =>
        publisher
          .publish('events:jobs', createEnvelope('JobQueued', { label }, { actor: serviceActor('jobs') }))
          .then(() => true)
          .catch(() => false),
      `publishing ${label}`,
    );
  const ping = () => lastValueFrom(client.send<string>('jobs.ping', withContext({ timeoutMs: 1_000 }, {})));

  beforeAll(async () => {
    redisServer = await startThrowawayRedis();
    service = await startService(
      JobsController,
      probe,
      testServerOptions({ redisUrl: redisServer.url, keyPrefix, service: 'jobs', streams: ['events:jobs'] }),
    );
    publisher = new StreamPublisher({ redisUrl: redisServer.url, keyPrefix });
    client = new RedisStreamsClient({
      redisUrl: redisServer.url,
      keyPrefix,
      clientName: 'gateway',
      // A TTL refreshed only every 200 s: the reply stream lost with the flush must come back
      // on the client's next quiet read, well within the waits below, not at that refresh.
      replyStreamTtlMs: 600_000,
      blockMs: 200,
    });
    admin = openRedis(redisServer.url);
  });

  afterAll(async () => {
    await client.close();
    await service.app.close();
    await publisher.close();
    await admin.quit();
    await redisServer.stop();
  });

  it('recreates its groups after FLUSHALL, keeps consuming, and reports a new epoch', async () => {
    await publishSoon('before');
    await waitFor(() => labels().includes('before'), 'the first event');
    expect(await ping()).toBe('pong');
    const epochBefore = await service.server.currentEpoch();
    const changes: EpochChange[] = [];
    const subscription = service.server.epochChanges.subscribe((change) => changes.push(change));

    await admin.flushall();
    await publishSoon('after-flush');

    await waitFor(() => labels().includes('after-flush'), 'an event after the flush');
    await waitFor(() => changes.length > 0, 'the epoch change');
    subscription.unsubscribe();
    expect(changes[0]?.previous).toBe(epochBefore);
    expect(await service.server.currentEpoch()).not.toBe(epochBefore);
    expect(await publisher.currentEpoch()).toBe(await service.server.currentEpoch());
    await waitFor(
      () =>
        ping().then(
          (reply) => reply === 'pong',
          () => false,
        ),
      'request/reply after the flush',
    );
  });

  it('survives a hard restart of Redis', async () => {
    const epochBefore = await service.server.currentEpoch();
    await redisServer.stop({ hard: true });
    await redisServer.restart();

    await publishSoon('after-restart');
    await waitFor(() => labels().includes('after-restart'), 'an event after the restart');
    expect(await service.server.currentEpoch()).not.toBe(epochBefore);
    await waitFor(
      () =>
        ping().then(
          (reply) => reply === 'pong',
          () => false,
        ),
      'request/reply after the restart',
    );
  });
});
