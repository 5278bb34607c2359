import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ErrorCodes, type ErrorBody } from '@scriptripper/contracts';
import type { TrustProxy } from '@scriptripper/config';
import { correlationIdOf } from '../logging/correlation-context';

/**
 * The HTTP adapter of every service: Fastify's request id is the correlation id (a valid
 * `X-Request-Id` or a new one), so Fastify, the request logs and the response header agree.
 * `trustProxy` (config TRUST_PROXY) decides whose `X-Forwarded-For` makes `request.ip`.
 */
export function createFastifyAdapter(trustProxy: TrustProxy = false): FastifyAdapter {
  return new FastifyAdapter({
    genReqId: (request: IncomingMessage) => correlationIdOf(request),
    trustProxy,
    clientErrorHandler: answerClientError,
  });
}

/**
 * A request Node's HTTP parser refuses before Fastify routes it (headers too large, a control
 * character in a header, a malformed request line, a client too slow): answered in the one
 * error shape `{ error: { code, message, retryable } }` instead of Fastify's own, then closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, body]: [number, ErrorBody] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          {
            code: ErrorCodes.payloadTooLarge,
            message: 'the request headers are too large',
            retryable: false,
          },
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [
            408,
            { code: ErrorCodes.unavailable, message: 'the request took too long to arrive', retryable: true },
          ]
        : [
            400,
            { code: ErrorCodes.validationFailed, message: 'the HTTP request is malformed', retryable: false },
          ];
  const json = JSON.stringify({ error: body });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(error);
}
