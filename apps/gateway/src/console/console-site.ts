import { stat } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes } from '@scriptripper/contracts';

/** Hashed build files (`assets/index-3f2a9c.js`): their name changes with their content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and unhashed files: revalidated each time, so a new build shows at once. */
const REVALIDATE = 'no-cache';

/**
 * The console's pages load only their own files: no inline script or style, no other origin
 * (the API is the same origin). Stricter than the API's policy, which Swagger UI loosens.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** First path segments that belong to the API and the operational routes, never to the console. */
const NOT_CONSOLE = new Set(['api', 'health', 'metrics']);

/**
 * Serves the web console's static build (vite's `dist/apps/web`: index.html and hashed
 * `assets/`) at `/`: files with their cache headers, and every other GET that a browser
 * navigates to (Accept: text/html) answered with index.html, so deep links (`/jobs/<id>`,
 * `/sign-in/verify?token=...`) open the app, which routes them. Paths of the API, health and
 * metrics are never the console's: an unknown one keeps the API's 404. A missing build is
 * logged once and answered with a 404 saying so; the gateway runs without it.
 */
export async function serveConsole(app: NestFastifyApplication, consoleDir: string): Promise<void> {
  const root = resolve(consoleDir);
  const fastify = app.getHttpAdapter().getInstance();
  // Only reply.sendFile (send: ranges, ETag, Last-Modified); the one route below decides what is served.
  await app.register(fastifyStatic, { root, serve: false });
  if (!(await isFile(join(root, 'index.html')))) {
    new Logger('ConsoleSite').warn(
      `The web console is not built (no index.html in CONSOLE_DIR ${root}); the API works without it`,
    );
  }

  fastify.get('/*', async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    if (NOT_CONSOLE.has(path.split('/')[0] ?? '')) return reply.callNotFound();
    reply.header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY);

    const file = consoleFileOf(root, path);
    if (file && (await isFile(join(root, file)))) {
      return sendFrom(reply, root, file, file.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
    }
    // A missing asset is a 404, not the app's page (which the browser would run as the script).
    if (path !== '' && (path.startsWith('assets/') || !acceptsHtml(request))) return reply.callNotFound();
    if (!(await isFile(join(root, 'index.html')))) {
      return reply
        .code(404)
        .header('cache-control', 'no-store')
        .send({
          error: {
            code: ErrorCodes.notFound,
            message: 'The web console is not built on this server; the API is at /api/v1 (docs: /api/docs)',
            retryable: false,
          },
        });
    }
    return sendFrom(reply, root, 'index.html', REVALIDATE);
  });
}

function sendFrom(reply: FastifyReply, root: string, file: string, cacheControl: string): FastifyReply {
  return reply.header('cache-control', cacheControl).sendFile(file, root, { cacheControl: false });
}

/** The file a path names inside the build, or undefined for one leaving it or a dotfile. */
function consoleFileOf(root: string, path: string): string | undefined {
  if (path === '' || path.endsWith('/')) return undefined;
  const file = normalize(path);
  const absolute = resolve(root, file);
  if (!absolute.startsWith(root + sep)) return undefined;
  if (file.split(sep).some((segment) => segment.startsWith('.'))) return undefined;
  return file.split(sep).join('/');
}

/** Browsers navigating ask for text/html; scripts, images and API clients (`*\/*`) do not. */
function acceptsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').split(',').some((type) => type.trim().startsWith('text/html'));
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (found) => found.isFile(),
    () => false,
  );
}
