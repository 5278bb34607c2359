import { bootstrapService } from '@scriptripper/observability';
import { AppModule } from './app.module';
import { ArtifactsConfig } from './config';

void bootstrapService({
  name: 'artifacts',
  config: ArtifactsConfig,
  module: (config) => AppModule.register(config),
  // The Redis Streams microservice is connected here (app.connectMicroservice, then
  // app.startAllMicroservices) through the `beforeListen` option.
});
