import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './generated/schema';

/** A typed client of the ScriptRipper API: `client.GET('/api/v1/jobs/{id}', { params: { path: { id } } })`. */
export type ScriptRipperClient = Client<paths>;

/** Where a client gets its bearer credential: a JWT access token or an API token (srt_...). */
export type TokenSource = () => string | null | undefined | Promise<string | null | undefined>;

export interface ScriptRipperClientOptions {
  /**
   * The gateway's origin, e.g. `https://scriptripper.example.com` (the paths include `/api/v1`).
   * A browser page served by the gateway may pass its own origin.
   */
  readonly baseUrl: string;
  /** A fixed bearer token. */
  readonly token?: string;
  /** Asked before each request, so a client can hand in a refreshed access token. */
  readonly getToken?: TokenSource;
  /** A fetch of your own (tests, proxies, retries); the global fetch otherwise. */
  readonly fetch?: (input: Request) => Promise<Response>;
  /** Headers sent with every request (a request's own headers win). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The ScriptRipper API client over openapi-fetch: every path, parameter, body and answer is
 * typed from the gateway's OpenAPI document. Calls answer `{ data, error, response }` and never
 * throw for an HTTP error; `dataOrThrow` turns an error answer into a `ScriptRipperApiError`.
 */
export function createScriptRipperClient(options: ScriptRipperClientOptions): ScriptRipperClient {
  if (options.token !== undefined && options.getToken !== undefined) {
    throw new Error('createScriptRipperClient: pass token or getToken, not both');
  }
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: { ...options.headers } } : {}),
  });
  const tokenOf: TokenSource = options.getToken ?? (() => options.token);
  client.use(bearerToken(tokenOf));
  return client;
}

/** Adds `Authorization: Bearer <token>` unless the request set its own. */
function bearerToken(tokenOf: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      if (request.headers.has('authorization')) return request;
      const token = await tokenOf();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  };
}
