import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
import { parseKeyEncryptionKey } from '@scriptripper/privacy';
import { AuditRpcModule, DataServiceModule } from '@scriptripper/service-runtime';
import { BatchModule } from './batch/batch.module';
import type { JobsConfig } from './config';
import { LifecycleModule } from './erasure/lifecycle.module';
import { JobModule } from './job/job.module';
import { mikroOrmOptions } from './mikro-orm.config';
import { PromptModule } from './prompt/prompt.module';
import { jobsReadModels } from './projections';
import { RelabelModule } from './relabel/relabel.module';
import { RerunModule } from './rerun/rerun.module';
import { PersonalDataModule } from './shared/personal-data.module';
import { StuckJobsModule } from './stuck-jobs/stuck-jobs.module';
import { QuotaModule } from './quota/quota.module';
import { WebhookModule } from './webhook/webhook.module';

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
          projections: jobsReadModels(parseKeyEncryptionKey(config.JOBS_KEY_ENCRYPTION_KEY)).projections,
        }),
        AuditRpcModule.forService('jobs'),
        PersonalDataModule.register(config),
        LifecycleModule,
        QuotaModule.register(config),
        JobModule.register(config),
        StuckJobsModule.register(config),
        PromptModule,
        RerunModule,
        RelabelModule,
        BatchModule,
        WebhookModule.register(config),
      ],
    };
  }
}
