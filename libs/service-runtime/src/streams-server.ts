import type { INestApplication } from '@nestjs/common';
import type { NestMicroservice } from '@nestjs/microservices';
import type { ServiceConfig } from '@scriptripper/config';
import type { ServiceName } from '@scriptripper/contracts';
import {
  RedisStreamsServer,
  StreamsExceptionFilter,
  type RedisStreamsServerOptions,
} from '@scriptripper/streams';

/**
 * Connects the service's Redis Streams consumer (its `rpc:<service>` requests and the streams
 * it listens to) to the HTTP app and starts it, so one process serves both and one shutdown
 * drains both. Handler errors keep their code, message and retryability.
 */
export async function connectStreamsServer(
  app: INestApplication,
  options: RedisStreamsServerOptions,
): Promise<RedisStreamsServer> {
  const server = new RedisStreamsServer(options);
  // A connected microservice is marked initialised at once, too early for global filters;
  // defer that, add the filter, then finish the connection the way Nest would have.
  const microservice = app.connectMicroservice(
    { strategy: server },
    { inheritAppConfig: true, deferInitialization: true },
  ) as NestMicroservice;
  microservice.useGlobalFilters(new StreamsExceptionFilter());
  microservice.registerListeners();
  microservice.setIsInitialized(true);
  microservice.setIsInitHookCalled(true);
  await app.startAllMicroservices();
  return server;
}

/** The Streams consumer settings of a service, from its validated config. */
export function streamsServerOptions(
  config: ServiceConfig,
  service: ServiceName,
  streams: readonly string[],
): RedisStreamsServerOptions {
  return {
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    service,
    streams,
    claimIdleMs: config.STREAMS_CLAIM_IDLE_MS,
    // Running handlers get the shutdown grace period less a margin for closing the rest.
    shutdownTimeoutMs: Math.max(1_000, config.SHUTDOWN_GRACE_MS - 2_000),
    ...(config.SERVICE_INSTANCE ? { consumer: `${service}-${config.SERVICE_INSTANCE}` } : {}),
  };
}
