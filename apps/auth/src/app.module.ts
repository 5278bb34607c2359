import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
import { DataServiceModule } from '@scriptripper/service-runtime';
import type { AuthConfig } from './config';
import { mikroOrmOptions } from './mikro-orm.config';

/** The auth service: users, sign-in, API tokens and JWT keys. */
@Module({})
export class AppModule {
  static register(config: AuthConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'auth', config, postgres: true }),
        MikroOrmModule.forRoot(mikroOrmOptions(config)),
        DataServiceModule.forRoot({
          service: 'auth',
          redisUrl: config.REDIS_URL,
          keyPrefix: config.REDIS_KEY_PREFIX,
        }),
        // The service's domain slices and its Redis Streams client are imported here.
      ],
    };
  }
}
