import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ApiModule } from '../api.module';

/** The API's OpenAPI document: every `/api/v1` route, with bearer auth and the error shape. */
export function createOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ScriptRipper API')
    .setDescription(
      'Everything under /api/v1. JSON in snake_case; lists answer { items, next_cursor }; every error is ' +
        '{ "error": { "code", "message", "retryable" } }. Authenticate with `Authorization: Bearer <token>`: ' +
        'a JWT access token from sign-in, or an API token (srt_...).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'JWT access token or API token (srt_...)' })
    .build();
  return SwaggerModule.createDocument(app, config, { include: [ApiModule] });
}

/** Swagger UI at `/api/docs`, the document at `/api/docs-json`. */
export function serveOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('api/docs', app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    raw: ['json'],
  });
}
