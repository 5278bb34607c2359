import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HealthIndicatorService, TerminusModule, type HealthIndicatorFunction } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { hostname } from 'node:os';
import type { DestinationStream } from 'pino';
import type { ServiceConfig } from '@scriptripper/config';
import { HealthController, READINESS_CHECKS } from './health/health.controller';
import { PostgresHealthIndicator } from './health/postgres-health.indicator';
import { RedisHealthIndicator } from './health/redis-health.indicator';
import { CorrelationMiddleware } from './logging/correlation.middleware';
import { loggerParams } from './logging/logger-params';
import { HTTP_DURATION_HISTOGRAM, HttpMetricsHook } from './metrics/http-metrics.hook';
import { MetricsController } from './metrics/metrics.controller';
import { METRICS_LISTEN, MetricsServer } from './metrics/metrics.server';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics/metrics-registry';
import { shutdownTracing } from './tracing/tracing';

export interface ObservabilityOptions {
  /** The service's name, on every log line and metric. */
  readonly service: string;
  readonly config: ServiceConfig;
  /** Whether readiness includes Postgres (through the app's `MikroOrmModule`). */
  readonly postgres: boolean;
  /** Where log lines go; stdout when unset. */
  readonly logDestination?: DestinationStream;
}

/**
 * JSON logs with correlation ids, `/metrics`, `/health/live` and `/health/ready` for one
 * service. Import it once, in the app's root module.
 */
@Module({})
export class ObservabilityModule implements NestModule, OnApplicationShutdown {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const instance = options.config.SERVICE_INSTANCE ?? hostname();
    const metrics = createMetricsRegistry({ service: options.service, instance });
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRoot(
          loggerParams({
            service: options.service,
            level: options.config.LOG_LEVEL,
            instance,
            destination: options.logDestination,
          }),
        ),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
      ],
      // With METRICS_PORT, /metrics is served on that port only (MetricsServer), not on the app's.
      controllers: [
        HealthController,
        ...(options.config.METRICS_PORT === undefined ? [MetricsController] : []),
      ],
      providers: [
        ...(options.config.METRICS_PORT === undefined
          ? []
          : [
              {
                provide: METRICS_LISTEN,
                useValue: { port: options.config.METRICS_PORT, host: options.config.HTTP_HOST },
              },
              MetricsServer,
            ]),
        { provide: METRICS_REGISTRY, useValue: metrics.registry },
        { provide: HTTP_DURATION_HISTOGRAM, useValue: metrics.httpDuration },
        HttpMetricsHook,
        {
          provide: RedisHealthIndicator,
          useFactory: (indicators: HealthIndicatorService) =>
            new RedisHealthIndicator(options.config.REDIS_URL, indicators),
          inject: [HealthIndicatorService],
        },
        PostgresHealthIndicator,
        {
          provide: READINESS_CHECKS,
          useFactory: (
            redis: RedisHealthIndicator,
            postgres: PostgresHealthIndicator,
          ): HealthIndicatorFunction[] => [
            () => redis.check(),
            ...(options.postgres ? [() => postgres.check()] : []),
          ],
          inject: [RedisHealthIndicator, PostgresHealthIndicator],
        },
      ],
      exports: [METRICS_REGISTRY, RedisHealthIndicator, PostgresHealthIndicator],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationMiddleware).forRoutes('*');
  }

  /** Sends the spans still buffered before the process exits (nothing when tracing is off). */
  async onApplicationShutdown(): Promise<void> {
    await shutdownTracing();
  }
}
