import { bootstrapService } from '@scriptripper/observability';
import { connectStreamsServer, streamsServerOptions } from '@scriptripper/service-runtime';
import { AppModule } from './app.module';
import { JobsConfig } from './config';
import { JOBS_CONSUMED_STREAMS } from './consumed-streams';

void bootstrapService({
  name: 'jobs',
  config: JobsConfig,
  module: (config) => AppModule.register(config),
  beforeListen: async (app, config) => {
    await connectStreamsServer(app, streamsServerOptions(config, 'jobs', JOBS_CONSUMED_STREAMS));
  },
});
