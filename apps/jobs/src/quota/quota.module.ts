import { Global, Module, type DynamicModule } from '@nestjs/common';
import { JobsConfig } from '../config';
import { QuotaService } from './quota.service';

/** `QuotaService` for every slice that creates jobs or costly work (jobs, batches, custom prompts). */
@Global()
@Module({})
export class QuotaModule {
  static register(config: JobsConfig): DynamicModule {
    return {
      module: QuotaModule,
      providers: [{ provide: JobsConfig, useValue: config }, QuotaService],
      exports: [QuotaService],
    };
  }
}
