import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook, type WebhookRequest } from './webhook-sender';

/** The sender against real local sockets: what it reports for answers, silence and refused addresses. */
describe('sending one webhook delivery', () => {
  let server: Server;
  let port: number;
  let requests = 0;
  let behaviour: 'ok' | 'silent' | 'redirect' = 'ok';

  const request = (url: string, overrides: Partial<WebhookRequest> = {}): WebhookRequest => ({
    url,
    body: '{"id":"e1"}',
    headers: { 'content-type': 'application/json' },
    timeoutMs: 2_000,
    allowPrivateNetworks: true,
    ...overrides,
  });

  beforeAll(async () => {
    server = createServer((incoming, response) => {
      requests++;
      incoming.resume();
      if (behaviour === 'silent') return; // never answers
      if (behaviour === 'redirect') {
        response.writeHead(302, { location: 'http://169.254.169.254/' }).end();
        return;
      }
      response.writeHead(202).end('accepted');
    });
    await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  });

  beforeEach(() => {
    requests = 0;
    behaviour = 'ok';
  });

  it('reports a 2xx answer as delivered', async () => {
    const result = await sendWebhook(request(`http://127.0.0.1:${port}/hook`));
    expect(result).toMatchObject({ statusCode: 202, delivered: true, retryable: false, error: null });
    expect(requests).toBe(1);
  });

  it('refuses a loopback host by name when private networks are not allowed, without sending anything', async () => {
    const result = await sendWebhook(
      request(`http://localhost:${port}/hook`, { allowPrivateNetworks: false }),
    );
    expect(result).toMatchObject({ statusCode: null, delivered: false, retryable: false });
    expect(result.error).toMatch(/not public/);
    expect(requests).toBe(0);
  });

  it('refuses a loopback address literal the same way', async () => {
    const result = await sendWebhook(
      request(`http://127.0.0.1:${port}/hook`, { allowPrivateNetworks: false }),
    );
    expect(result).toMatchObject({ statusCode: null, delivered: false, retryable: false });
    expect(requests).toBe(0);
  });

  it('gives up waiting at the deadline and reports a retryable failure', async () => {
    behaviour = 'silent';
    const result = await sendWebhook(request(`http://127.0.0.1:${port}/hook`, { timeoutMs: 300 }));
    expect(result).toMatchObject({ statusCode: null, delivered: false, retryable: true });
    expect(result.error).toMatch(/no answer within 300 ms/);
  });

  it('does not follow a redirect (it could point anywhere): a failed try, not retried', async () => {
    behaviour = 'redirect';
    const result = await sendWebhook(request(`http://127.0.0.1:${port}/hook`));
    expect(result).toMatchObject({ statusCode: 302, delivered: false, retryable: false });
    expect(requests).toBe(1);
  });

  it('reports a refused connection as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolveListen) => closed.listen(0, '127.0.0.1', resolveListen));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolveClose) => closed.close(() => resolveClose()));
    const result = await sendWebhook(request(`http://127.0.0.1:${closedPort}/hook`));
    expect(result).toMatchObject({ statusCode: null, delivered: false, retryable: true });
  });
});
