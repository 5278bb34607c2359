import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { startTracing } from '../tracing/tracing';
import { createFastifyAdapter } from './fastify-adapter';
import { installGracefulShutdown } from './graceful-shutdown';
import { ConfigError, loadConfig, type ConfigClass, type ServiceConfig } from '@scriptripper/config';

export interface ServiceDefinition<TConfig extends ServiceConfig> {
  readonly name: string;
  readonly config: ConfigClass<TConfig>;
  /** The app's root module for a loaded config. */
  readonly module: (config: TConfig) => DynamicModule;
  /** Runs before the HTTP server listens: where a service connects its Redis Streams microservice. */
  readonly beforeListen?: (app: NestFastifyApplication, config: TConfig) => Promise<void>;
}

/**
 * What every `main.ts` does: validate the config (exiting 1 with every bad setting named),
 * start the app on Fastify with the JSON logger, drain and exit 0 on SIGTERM/SIGINT, listen.
 */
export async function bootstrapService<TConfig extends ServiceConfig>(
  definition: ServiceDefinition<TConfig>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<NestFastifyApplication> {
  const config = loadConfigOrExit(definition, env);
  // Before anything runs, so the first request is traced too; a no-op unless OTLP is configured.
  startTracing({ service: definition.name, instance: config.SERVICE_INSTANCE }, env);
  try {
    const app = await NestFactory.create<NestFastifyApplication>(
      definition.module(config),
      createFastifyAdapter(config.TRUST_PROXY),
      {
        bufferLogs: true,
        // Nest aborts the process on a module error by default: throw instead, to exit with a message.
        abortOnError: false,
      },
    );
    const logger = app.get(Logger);
    app.useLogger(logger);
    // SIGTERM/SIGINT drain the service, then exit 0 (Nest's own hooks re-raise the signal instead).
    installGracefulShutdown(app, {
      graceMs: config.SHUTDOWN_GRACE_MS,
      log: (message) => logger.log(message, 'Shutdown'),
      warn: (message) => logger.warn(message, 'Shutdown'),
    });
    await definition.beforeListen?.(app, config);
    await app.listen(config.HTTP_PORT, config.HTTP_HOST);
    logger.log(`${definition.name} listening on ${await app.getUrl()}`, 'Bootstrap');
    return app;
  } catch (error) {
    console.error(
      `${definition.name}: failed to start: ${error instanceof Error ? error.stack : String(error)}`,
    );
    process.exit(1);
  }
}

function loadConfigOrExit<TConfig extends ServiceConfig>(
  definition: ServiceDefinition<TConfig>,
  env: NodeJS.ProcessEnv,
): TConfig {
  try {
    return loadConfig(definition.config, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${definition.name}: cannot start. ${error.message}`);
    process.exit(1);
  }
}
