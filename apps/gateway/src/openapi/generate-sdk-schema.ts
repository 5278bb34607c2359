// `npm run sdk:generate`: starts the gateway as main.ts builds it (it needs Redis: REDIS_URL,
// redis://127.0.0.1:6379 by default), reads its OpenAPI document from /api/docs-json and
// writes the SDK's types to libs/sdk/src/generated/schema.ts. Commit the result: the drift
// test fails while the committed file differs from what the running gateway documents.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@scriptripper/config';
import { createFastifyAdapter } from '@scriptripper/observability';
import { AppModule } from '../app.module';
import { GatewayConfig } from '../config';
import { configureHttp } from '../http/configure-http';
import { SDK_SCHEMA_FILE, sdkSchemaSourceOf, workspaceRoot } from './sdk-schema';

async function main(): Promise<void> {
  // Only Redis comes from the environment: the document must not depend on local settings.
  const config = loadConfig(GatewayConfig, {
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: 'sdk-generate:',
    LOG_LEVEL: 'silent',
    HTTP_PORT: '0',
    BLOB_ROOT: tmpdir(),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    createFastifyAdapter(config.TRUST_PROXY),
    { logger: false },
  );
  try {
    await configureHttp(app, config);
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const response = await fetch(`${url}/api/docs-json`);
    if (!response.ok) throw new Error(`GET /api/docs-json answered ${response.status}`);
    const source = await sdkSchemaSourceOf(await response.json());
    const target = join(workspaceRoot(), SDK_SCHEMA_FILE);
    await writeFile(target, source);
    console.warn(`wrote ${SDK_SCHEMA_FILE}`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
