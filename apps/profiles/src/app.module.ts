import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
import type { ProfilesConfig } from './config';
import { mikroOrmOptions } from './mikro-orm.config';

/** The profiles service: analysis profiles and their immutable versions. */
@Module({})
export class AppModule {
  static register(config: ProfilesConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'profiles', config, postgres: true }),
        MikroOrmModule.forRoot(mikroOrmOptions(config)),
        // The service's domain slices and its Redis Streams client are imported here.
      ],
    };
  }
}
