import { bootstrapService } from '@scriptripper/observability';
import { connectStreamsServer, streamsServerOptions } from '@scriptripper/service-runtime';
import { AppModule } from './app.module';
import { AuthConfig } from './config';

void bootstrapService({
  name: 'auth',
  config: AuthConfig,
  module: (config) => AppModule.register(config),
  beforeListen: async (app, config) => {
    await connectStreamsServer(app, streamsServerOptions(config, 'auth', []));
  },
});
