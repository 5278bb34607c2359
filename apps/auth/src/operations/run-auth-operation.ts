// What the auth service's one-off operations (admin token, key rotation) run in: the same
// modules as the service, without its HTTP server or Streams consumer.
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@scriptripper/config';
import { identityOnItsData } from '../app.module';
import { AuthConfig } from '../config';

@Module({})
class AuthOperationsModule {
  static register(config: AuthConfig): DynamicModule {
    return { module: AuthOperationsModule, imports: identityOnItsData(config).imports };
  }
}

/**
 * Runs one operation with the auth service's config and modules, then closes. Diagnostics go
 * to stderr; `operation` writes its answer to stdout. Exits 1 with the reason on failure.
 */
export async function runAuthOperation(
  name: string,
  operation: (app: INestApplicationContext) => Promise<void>,
): Promise<void> {
  let config: AuthConfig;
  try {
    config = loadConfig(AuthConfig, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${name}: cannot start. ${error.message}`);
    process.exitCode = 1;
    return;
  }
  const app = await NestFactory.createApplicationContext(AuthOperationsModule.register(config), {
    logger: ['error'],
  });
  try {
    await operation(app);
  } catch (error) {
    console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await app.close();
  }
}
