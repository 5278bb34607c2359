import { bootstrapService } from '@scriptripper/observability';
import { connectStreamsServer, streamsServerOptions } from '@scriptripper/service-runtime';
import { AppModule } from './app.module';
import { ArtifactsConfig } from './config';
import { ARTIFACTS_CONSUMED_STREAMS } from './consumed-streams';

void bootstrapService({
  name: 'artifacts',
  config: ArtifactsConfig,
  module: (config) => AppModule.register(config),
  beforeListen: async (app, config) => {
    await connectStreamsServer(app, streamsServerOptions(config, 'artifacts', ARTIFACTS_CONSUMED_STREAMS));
  },
});
