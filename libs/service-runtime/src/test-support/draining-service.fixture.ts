// A service for the graceful-shutdown test, run as its own process from the build: the real
// bootstrap and Streams consumer, with one HTTP route and one message handler that stay busy
// until the test says so (a Redis key), so the test controls what is in flight at SIGTERM.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Controller,
  Get,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import Redis from 'ioredis';
import { ServiceConfig } from '@scriptripper/config';
import { bootstrapService, ObservabilityModule } from '@scriptripper/observability';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { connectStreamsServer, streamsServerOptions } from '../streams-server';
import { drainingKeys, SLOW_STREAM, SLOW_WORK } from './draining-service.keys';

class FixtureRedis extends Redis implements OnApplicationShutdown {
  onApplicationShutdown(): void {
    this.disconnect();
  }
}

@Controller()
class SlowController {
  constructor(
    @Inject(FixtureRedis) private readonly redis: FixtureRedis,
    @Inject(ServiceConfig) private readonly config: ServiceConfig,
  ) {}

  @Get('slow')
  async slow(): Promise<{ done: true; instance: string | undefined }> {
    await this.redis.set(this.key(drainingKeys.httpStarted), '1');
    await this.until(drainingKeys.releaseHttp);
    return { done: true, instance: this.config.SERVICE_INSTANCE };
  }

  @EventPattern(SLOW_WORK)
  async work(@Payload() _data: unknown, @Ctx() context: RedisStreamsContext): Promise<void> {
    const id = context.getEnvelope().id;
    await this.redis.set(this.key(drainingKeys.started(id)), this.config.SERVICE_INSTANCE ?? '');
    await this.until(drainingKeys.releaseHandler);
    await this.redis.set(this.key(drainingKeys.finished(id)), this.config.SERVICE_INSTANCE ?? '');
  }

  private key(name: string): string {
    return this.config.REDIS_KEY_PREFIX + name;
  }

  private async until(name: string): Promise<void> {
    while (!(await this.redis.exists(this.key(name)))) await sleep(50);
  }
}

@Module({})
class DrainingModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: DrainingModule,
      imports: [ObservabilityModule.forRoot({ service: 'worker', config, postgres: false })],
      controllers: [SlowController],
      providers: [
        { provide: ServiceConfig, useValue: config },
        { provide: FixtureRedis, useFactory: () => new FixtureRedis(config.REDIS_URL) },
      ],
    };
  }
}

void bootstrapService({
  name: 'draining-fixture',
  config: ServiceConfig,
  module: (config) => DrainingModule.register(config),
  beforeListen: async (app, config) => {
    await connectStreamsServer(app, streamsServerOptions(config, 'worker', [SLOW_STREAM]));
  },
});
