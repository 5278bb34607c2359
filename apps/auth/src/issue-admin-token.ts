// `node dist/apps/auth/src/issue-admin-token.js`: ensures ADMIN_EMAIL is an admin and prints a
// new API token with every scope as `{ "token": "..." }` on stdout (the dev launcher stores it
// as `adminToken`). Diagnostics go to stderr only. Run after the auth migrations.
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@scriptripper/config';
import { parseKeyEncryptionKey } from '@scriptripper/privacy';
import { DataServiceModule } from '@scriptripper/service-runtime';
import { AdminTokenIssuer } from './admin-token/admin-token.issuer';
import { AuthConfig } from './config';
import { IdentityModule } from './identity.module';
import { mikroOrmOptions } from './mikro-orm.config';
import { signingKeyProjection } from './signing-key/signing-key.projection';
import { userProjection } from './user/user.projection';

@Module({})
class AdminTokenModule {
  static register(config: AuthConfig): DynamicModule {
    const identity = IdentityModule.register(config);
    return {
      module: AdminTokenModule,
      imports: [
        MikroOrmModule.forRoot(mikroOrmOptions(config)),
        DataServiceModule.forRoot({
          service: 'auth',
          redisUrl: config.REDIS_URL,
          keyPrefix: config.REDIS_KEY_PREFIX,
          projections: [
            userProjection(parseKeyEncryptionKey(config.AUTH_KEY_ENCRYPTION_KEY)),
            signingKeyProjection,
          ],
        }),
        identity,
      ],
    };
  }
}

async function main(): Promise<void> {
  let config: AuthConfig;
  try {
    config = loadConfig(AuthConfig, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`issue-admin-token: cannot start. ${error.message}`);
    process.exitCode = 1;
    return;
  }
  const app = await NestFactory.createApplicationContext(AdminTokenModule.register(config), {
    logger: ['error'],
  });
  try {
    const created = await app.get(AdminTokenIssuer).issue();
    process.stdout.write(`${JSON.stringify({ token: created.token })}\n`);
  } catch (error) {
    console.error(`issue-admin-token failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await app.close();
  }
}

void main();
