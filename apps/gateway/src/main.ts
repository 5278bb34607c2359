import { bootstrapService } from '@scriptripper/observability';
import { AppModule } from './app.module';
import { GatewayConfig } from './config';
import { configureHttp } from './http/configure-http';

void bootstrapService({
  name: 'gateway',
  config: GatewayConfig,
  module: (config) => AppModule.register(config),
  beforeListen: (app, config) => configureHttp(app, config),
});
