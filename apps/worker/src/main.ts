import { bootstrapService } from '@scriptripper/observability';
import { Streams } from '@scriptripper/contracts';
import { connectStreamsServer, streamsServerOptions } from '@scriptripper/service-runtime';
import { AppModule } from './app.module';
import { WorkerConfig } from './config';

void bootstrapService({
  name: 'worker',
  config: WorkerConfig,
  module: (config) => AppModule.register(config),
  beforeListen: async (app, config) => {
    await connectStreamsServer(app, streamsServerOptions(config, 'worker', [Streams.analysisWork]));
  },
});
