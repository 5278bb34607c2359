import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
import { AuditRpcModule, DataServiceModule } from '@scriptripper/service-runtime';
import type { JobsConfig } from './config';
import { mikroOrmOptions } from './mikro-orm.config';

/** The jobs service: jobs, batches and custom prompts. */
@Module({})
export class AppModule {
  static register(config: JobsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'jobs', config, postgres: true }),
        MikroOrmModule.forRoot(mikroOrmOptions(config)),
        DataServiceModule.forRoot({
          service: 'jobs',
          redisUrl: config.REDIS_URL,
          keyPrefix: config.REDIS_KEY_PREFIX,
        }),
        AuditRpcModule.forService('jobs'),
        // The service's domain slices and its Redis Streams client are imported here.
      ],
    };
  }
}
