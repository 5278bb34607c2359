import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@scriptripper/config';
import { createFastifyAdapter } from '@scriptripper/observability';
import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { configureHttp } from '../http/configure-http';

export interface RunningGateway {
  readonly app: NestFastifyApplication;
  readonly url: string;
  readonly config: GatewayConfig;
  /** Every route the HTTP server registered, as Fastify saw it. */
  readonly routes: readonly { readonly method: string; readonly url: string }[];
}

/** The gateway as main.ts builds it, listening on a free local port, silent. */
export async function startGateway(env: Record<string, string>): Promise<RunningGateway> {
  const config = loadConfig(GatewayConfig, {
    LOG_LEVEL: 'silent',
    HTTP_PORT: '0',
    METRICS_PORT: '0',
    BLOB_ROOT: '/tmp',
    ...env,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    createFastifyAdapter(config.TRUST_PROXY),
    {
      logger: false,
    },
  );
  const routes: { method: string; url: string }[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    });
  await configureHttp(app, config);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), config, routes };
}
