import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
import { AuditRpcModule, DataServiceModule } from '@scriptripper/service-runtime';
import { ArtifactModule } from './artifact/artifact.module';
import { ExportModule } from './export/export.module';
import { artifactsReadModels } from './projections';
import type { ArtifactsConfig } from './config';
import { LifecycleModule } from './erasure/lifecycle.module';
import { mikroOrmOptions } from './mikro-orm.config';

/** The artifacts service: artifact metadata, checksums and signed downloads. */
@Module({})
export class AppModule {
  static register(config: ArtifactsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'artifacts', config, postgres: true }),
        MikroOrmModule.forRoot(mikroOrmOptions(config)),
        DataServiceModule.forRoot({
          service: 'artifacts',
          redisUrl: config.REDIS_URL,
          keyPrefix: config.REDIS_KEY_PREFIX,
          projections: artifactsReadModels.projections,
        }),
        AuditRpcModule.forService('artifacts'),
        ArtifactModule.register(config),
        LifecycleModule.register(config),
        ExportModule,
      ],
    };
  }
}
