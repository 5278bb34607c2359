import { bootstrapService } from '@scriptripper/observability';
import { AppModule } from './app.module';
import { GatewayConfig } from './config';

void bootstrapService({
  name: 'gateway',
  config: GatewayConfig,
  module: (config) => AppModule.register(config),
});
