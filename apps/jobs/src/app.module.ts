import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
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
        // The service's domain slices and its Redis Streams client are imported here.
      ],
    };
  }
}
