import { bootstrapService } from '@scriptripper/observability';
import { connectStreamsServer, streamsServerOptions } from '@scriptripper/service-runtime';
import { AppModule } from './app.module';
import { ProfilesConfig } from './config';

void bootstrapService({
  name: 'profiles',
  config: ProfilesConfig,
  module: (config) => AppModule.register(config),
  beforeListen: async (app, config) => {
    await connectStreamsServer(app, streamsServerOptions(config, 'profiles', []));
  },
});
