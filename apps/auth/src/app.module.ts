import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
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
        // The service's domain slices and its Redis Streams client are imported here.
      ],
    };
  }
}
