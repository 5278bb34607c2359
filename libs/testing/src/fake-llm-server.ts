import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export type FakeVendor = 'openai' | 'anthropic' | 'gemini';

/** One scripted reply: a recorded response body (a file of `llm-fixtures/`), or no answer at all. */
export type FakeReply =
  | {
      readonly fixture: string;
      readonly status?: number;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly hang: true };

/** A request as the fake server received it. */
export interface FakeRequest {
  readonly vendor: FakeVendor;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
}

/** Where each vendor's SDK client lands on this server, in the vendor's own URL layout. */
const ROUTES: readonly { vendor: FakeVendor; pattern: RegExp }[] = [
  { vendor: 'openai', pattern: /^\/openai\/v1\/chat\/completions$/ },
  { vendor: 'anthropic', pattern: /^\/anthropic\/v1\/messages$/ },
  { vendor: 'gemini', pattern: /^\/gemini\/v1beta\/models\/[^/:]+:generateContent$/ },
];

/**
 * A local HTTP server speaking the OpenAI chat completions, Anthropic messages and Gemini
 * generateContent wire formats with recorded responses, replayed in the order a test scripts
 * them per vendor. It records every request, so tests can see what was sent (and that keys
 * went in headers only). An unscripted request answers 500 with a clear message.
 */
export class FakeLlmServer {
  readonly requests: FakeRequest[] = [];
  private readonly scripts = new Map<FakeVendor, FakeReply[]>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeLlmServer> {
    const server = createServer();
    const fake = new FakeLlmServer(server);
    server.on(
      'request',
      (request: IncomingMessage, response: ServerResponse) => void fake.handle(request, response),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The base URL to configure for a vendor (`OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`, `GOOGLE_BASE_URL`). */
  baseUrl(vendor: FakeVendor): string {
    return {
      openai: `${this.url}/openai/v1`,
      anthropic: `${this.url}/anthropic/v1`,
      gemini: `${this.url}/gemini/v1beta`,
    }[vendor];
  }

  /** Queues replies for a vendor's next requests. */
  script(vendor: FakeVendor, ...replies: FakeReply[]): void {
    this.scripts.set(vendor, [...(this.scripts.get(vendor) ?? []), ...replies]);
  }

  requestsTo(vendor: FakeVendor): FakeRequest[] {
    return this.requests.filter((request) => request.vendor === vendor);
  }

  /** Forgets the scripts and the recorded requests, between tests. */
  reset(): void {
    this.scripts.clear();
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = (request.url ?? '').split('?')[0] ?? '';
    const route = ROUTES.find((candidate) => candidate.pattern.test(path));
    if (request.method !== 'POST' || !route) {
      return this.send(response, 404, { error: { message: `no such route: ${request.method} ${path}` } });
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    this.requests.push({
      vendor: route.vendor,
      path,
      headers: request.headers,
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
    });
    const reply = this.scripts.get(route.vendor)?.shift();
    if (!reply)
      return this.send(response, 500, { error: { message: `no reply scripted for ${route.vendor}` } });
    if ('hang' in reply) {
      this.hanging.add(response);
      response.on('close', () => this.hanging.delete(response));
      return;
    }
    const body = JSON.parse(
      readFileSync(join(__dirname, 'llm-fixtures', `${reply.fixture}.json`), 'utf8'),
    ) as object;
    this.send(response, reply.status ?? 200, body, reply.headers);
  }

  private send(
    response: ServerResponse,
    status: number,
    body: object,
    headers: Readonly<Record<string, string>> = {},
  ): void {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  }
}
