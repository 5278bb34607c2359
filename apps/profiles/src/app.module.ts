import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
import { AuditRpcModule, DataServiceModule } from '@scriptripper/service-runtime';
import type { ProfilesConfig } from './config';
import { mikroOrmOptions } from './mikro-orm.config';
import { ProfileModule } from './profile/profile.module';
import { profilesReadModels } from './projections';

/** The profiles service: analysis profiles and their immutable versions. */
@Module({})
export class AppModule {
  static register(config: ProfilesConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'profiles', config, postgres: true }),
        MikroOrmModule.forRoot(mikroOrmOptions(config)),
        DataServiceModule.forRoot({
          service: 'profiles',
          redisUrl: config.REDIS_URL,
          keyPrefix: config.REDIS_KEY_PREFIX,
          projections: profilesReadModels.projections,
        }),
        AuditRpcModule.forService('profiles'),
        ProfileModule,
      ],
    };
  }
}
