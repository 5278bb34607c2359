import { Module, type DynamicModule } from '@nestjs/common';
import { JobsConfig } from '../config';
import { WebhookDispatcher } from './webhook.dispatcher';
import { WebhookRepository } from './webhook.repository';
import { WebhookService } from './webhook.service';
import { WebhooksController } from './webhooks.controller';

/**
 * Webhooks on `rpc:jobs`, deliveries scheduled from `events:jobs` and tried by the dispatcher.
 * Needs DataServiceModule (with `webhookProjection`) and PersonalDataModule.
 */
@Module({})
export class WebhookModule {
  static register(config: JobsConfig): DynamicModule {
    return {
      module: WebhookModule,
      controllers: [WebhooksController],
      providers: [
        { provide: JobsConfig, useValue: config },
        WebhookRepository,
        WebhookService,
        WebhookDispatcher,
      ],
    };
  }
}
