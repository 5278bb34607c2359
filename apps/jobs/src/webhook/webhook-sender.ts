import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isRetryableStatus, type AttemptResult } from './webhook-delivery.aggregate';
import { isPublicAddress, literalAddressOf, parseWebhookUrl } from './webhook-url';

export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly allowPrivateNetworks: boolean;
}

/** The receiver's answer body is read up to this much, then dropped: only its status matters. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs one delivery and reports what came of it; never throws. The address is checked as the
 * connection is made (a lookup that refuses non-public addresses), not only when the webhook
 * was registered, so DNS that changes afterwards cannot point a delivery at an internal host.
 * Redirects are not followed (a 3xx is a failed try); the whole exchange has one deadline.
 */
export function sendWebhook(request: WebhookRequest): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const noAnswer = (error: string, retryable: boolean): AttemptResult => ({
    statusCode: null,
    durationMs: elapsed(),
    error,
    delivered: false,
    retryable,
  });

  let url: URL;
  try {
    url = parseWebhookUrl(request.url);
  } catch (error) {
    return Promise.resolve(noAnswer((error as Error).message, false));
  }
  const literal = literalAddressOf(url);
  if (literal && !request.allowPrivateNetworks && !isPublicAddress(literal)) {
    return Promise.resolve(noAnswer(`address ${literal} is not public`, false));
  }

  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const settle = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(url, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
      // A fresh connection per delivery: no keep-alive socket outlives its deadline.
      agent: false,
      lookup: request.allowPrivateNetworks ? undefined : publicOnlyLookup,
    });
    const deadline = setTimeout(() => {
      outgoing.destroy(new Error(`no answer within ${request.timeoutMs} ms`));
    }, request.timeoutMs);
    outgoing.on('response', (answer: IncomingMessage) => {
      const statusCode = answer.statusCode ?? 0;
      let read = 0;
      answer.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) answer.destroy();
      });
      const done = () =>
        settle({
          statusCode,
          durationMs: elapsed(),
          error: statusCode >= 200 && statusCode < 300 ? null : `the receiver answered ${statusCode}`,
          delivered: statusCode >= 200 && statusCode < 300,
          retryable: isRetryableStatus(statusCode),
        });
      answer.on('end', done);
      answer.on('close', done);
      answer.on('error', done);
    });
    outgoing.on('error', (error: Error & { code?: string }) => {
      const refused = error.code === 'ESSRF';
      settle(noAnswer(error.message, !refused));
    });
    outgoing.end(request.body);
  });
}

/** dns.lookup, answering an error (code ESSRF) when any address found is not public. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options as LookupOptions, (error, address, family) => {
    if (error) return (callback as (e: Error) => void)(error);
    const found: LookupAddress[] = Array.isArray(address)
      ? (address as LookupAddress[])
      : [{ address: address as string, family: family ?? 4 }];
    const refused = found.find((candidate) => !isPublicAddress(candidate.address));
    if (refused) {
      const blocked = Object.assign(
        new Error(`${hostname} resolves to ${refused.address}, which is not public`),
        {
          code: 'ESSRF',
        },
      );
      return (callback as (e: Error) => void)(blocked);
    }
    (callback as (e: null, a: unknown, f?: number) => void)(null, address, family);
  });
};
