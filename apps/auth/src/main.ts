import { bootstrapService } from '@scriptripper/observability';
import { AppModule } from './app.module';
import { AuthConfig } from './config';

void bootstrapService({
  name: 'auth',
  config: AuthConfig,
  module: (config) => AppModule.register(config),
  // The Redis Streams microservice is connected here (app.connectMicroservice, then
  // app.startAllMicroservices) through the `beforeListen` option.
});
