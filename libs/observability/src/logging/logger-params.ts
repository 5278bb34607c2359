import { hostname } from 'node:os';
import type { Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { symbols, type DestinationStream, type Logger } from 'pino';
import { activeTraceId } from '../tracing/trace-context';
import { correlationIdOf, currentCorrelationId } from './correlation-context';

export interface LoggingOptions {
  readonly service: string;
  readonly level: string;
  readonly instance?: string;
  /** Where lines go; stdout when unset. */
  readonly destination?: DestinationStream;
}

const CENSOR = '[REDACTED]';
const SECRET_FIELDS = ['password', 'token', 'accessToken', 'refreshToken', 'idToken', 'secret', 'apiKey'];
/** Query parameters that carry credentials (magic links, signed downloads, OIDC codes). */
const SECRET_QUERY =
  /^(token|access_token|refresh_token|id_token|code|sig|signature|password|secret|api_key)$/i;
/** Probes and scrapes every few seconds would drown the interesting lines. */
const QUIET_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/** JSON logs with the service, instance and correlation id on every line, secrets redacted. */
export function loggerParams(options: LoggingOptions): Params {
  const pinoOptions: Options = {
    level: options.level,
    base: { service: options.service, instance: options.instance ?? hostname(), pid: process.pid },
    messageKey: 'message',
    // Fastify's own id wins when set (see `createFastifyAdapter`), which is the same id.
    genReqId: (request) => correlationIdOf(request),
    customAttributeKeys: { reqId: 'correlationId' },
    // Puts `correlationId` at the top of every line of the request's logger.
    quietReqLogger: true,
    mixin: correlationMixin,
    // Middleware may see a url with its mount path cut off; `originalUrl` is the whole one.
    autoLogging: {
      ignore: (request) =>
        QUIET_PATHS.test((request as { originalUrl?: string }).originalUrl ?? request.url ?? ''),
    },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'req.headers["proxy-authorization"]',
        'res.headers["set-cookie"]',
        ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
      ],
      censor: CENSOR,
    },
    serializers: {
      req: (request: { url?: string }) => ({ ...request, url: redactQuery(request.url) }),
    },
  };
  return { pinoHttp: options.destination ? [pinoOptions, options.destination] : pinoOptions };
}

/**
 * Adds the correlation id of the current context (a stream handler's, for example) unless
 * the logger already carries one (a request's logger), so no line has it twice; and the trace
 * id of the current span when tracing is on, so a line leads to its trace.
 */
function correlationMixin(_mergeObject: object, _level: number, logger: Logger): object {
  const bindings = (logger as unknown as Record<symbol, string>)[symbols.chindingsSym] ?? '';
  const traceId = activeTraceId();
  const trace = traceId ? { traceId } : {};
  if (bindings.includes('"correlationId":')) return trace;
  const correlationId = currentCorrelationId();
  return correlationId ? { correlationId, ...trace } : trace;
}

export function redactQuery(url: string | undefined): string | undefined {
  const queryStart = url?.indexOf('?') ?? -1;
  if (!url || queryStart < 0) return url;
  const query = new URLSearchParams(url.slice(queryStart + 1));
  for (const key of [...query.keys()]) if (SECRET_QUERY.test(key)) query.set(key, CENSOR);
  return `${url.slice(0, queryStart)}?${query.toString()}`;
}
