import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayConfig } from '../config';
import { serveConsole } from '../console/console-site';
import { raiseBodyLimitOfUploadRoutes } from '../jobs/upload-route';
import { serveOpenApi } from '../openapi/openapi';
import { forbidCachingOfApiAnswers } from './no-store';

/**
 * What the gateway's HTTP server needs before it listens: security headers, CORS for the
 * configured origins only, the JSON body limit (413 beyond it; upload routes take up to the
 * upload limit), multipart uploads (one file up to the upload limit), the OpenAPI document and UI,
 * and the web console at `/`.
 */
export async function configureHttp(app: NestFastifyApplication, config: GatewayConfig): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI styles itself inline and shows data: images; nothing else needs more.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  app.enableCors({
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'X-Request-Id',
      'Idempotency-Key',
      'traceparent',
      'X-ScriptRipper-Client',
    ],
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit: config.BODY_LIMIT_BYTES }, (request, body, done) =>
    parseJson(request as never, body.toString('utf8'), done),
  );
  fastify.addHook('onRoute', raiseBodyLimitOfUploadRoutes(config.UPLOAD_LIMIT_BYTES));
  forbidCachingOfApiAnswers(fastify);
  // Files are streamed by the route (request.parts()); a larger one fails the upload with 413.
  await app.register(multipart, {
    limits: { fileSize: config.UPLOAD_LIMIT_BYTES, files: 1, fields: 10, fieldSize: 4_096, parts: 11 },
  });
  serveOpenApi(app);
  await serveConsole(app, config.CONSOLE_DIR);
}
