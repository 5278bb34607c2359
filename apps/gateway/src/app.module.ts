import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@scriptripper/observability';
import { ApiModule } from './api.module';
import type { GatewayConfig } from './config';

/** The gateway service: the HTTP API for clients (/api/v1); owns no data, so readiness checks Redis only. */
@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'gateway', config, postgres: false }),
        ApiModule.register(config),
      ],
    };
  }
}
