import { createScriptRipperClient, dataOrThrow, isApiErrorBody, ScriptRipperApiError } from './index';

/** A fetch that records each request and answers what the test says. */
function recordingFetch(answer: (request: Request) => Response) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return answer(request);
  };
  return { requests, fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('the ScriptRipper client', () => {
  it('calls the typed path under the base URL with the bearer token', async () => {
    const { requests, fetch } = recordingFetch(() => json(200, { id: 'j-1', status: 'queued' }));
    const client = createScriptRipperClient({ baseUrl: 'https://sr.example.test/', token: 'srt_abc', fetch });

    const { data } = await client.GET('/api/v1/jobs/{id}', { params: { path: { id: 'j-1' } } });

    expect(data).toMatchObject({ id: 'j-1', status: 'queued' });
    expect(requests[0]?.url).toBe('https://sr.example.test/api/v1/jobs/j-1');
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer srt_abc');
  });

  it('asks getToken before every request, and sends no header without a token', async () => {
    const { requests, fetch } = recordingFetch(() => json(202, { accepted: true }));
    const tokens = ['first', undefined];
    const client = createScriptRipperClient({
      baseUrl: 'https://sr.example.test',
      getToken: async () => tokens.shift(),
      fetch,
    });

    await client.POST('/api/v1/auth/magic-link', { body: { email: 'a@example.test' } });
    await client.POST('/api/v1/auth/magic-link', { body: { email: 'a@example.test' } });

    expect(requests.map((request) => request.headers.get('authorization'))).toEqual(['Bearer first', null]);
    expect(await requests[0]?.json()).toEqual({ email: 'a@example.test' });
  });

  it('keeps an Authorization header the request sets itself', async () => {
    const { requests, fetch } = recordingFetch(() => json(200, {}));
    const client = createScriptRipperClient({ baseUrl: 'https://sr.example.test', token: 'default', fetch });

    await client.GET('/api/v1/me', { headers: { authorization: 'Bearer other' } });

    expect(requests[0]?.headers.get('authorization')).toBe('Bearer other');
  });

  it('refuses both a token and getToken', () => {
    expect(() =>
      createScriptRipperClient({ baseUrl: 'https://sr.example.test', token: 'a', getToken: () => 'b' }),
    ).toThrow(/token or getToken/);
  });
});

describe('dataOrThrow', () => {
  it("throws the API's error with its status, code, message, retryable and Retry-After", async () => {
    const { fetch } = recordingFetch(() =>
      json(
        429,
        { error: { code: 'RATE_LIMITED', message: 'Too many requests', retryable: true } },
        {
          'retry-after': '12',
        },
      ),
    );
    const client = createScriptRipperClient({ baseUrl: 'https://sr.example.test', fetch });

    const error = await dataOrThrow(client.GET('/api/v1/me')).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ScriptRipperApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'Too many requests',
      retryable: true,
      retryAfterSeconds: 12,
    });
  });

  it('makes an error of an answer that is not in the error shape', async () => {
    const { fetch } = recordingFetch(() => new Response('Bad Gateway', { status: 502 }));
    const client = createScriptRipperClient({ baseUrl: 'https://sr.example.test', fetch });

    const error = await dataOrThrow(client.GET('/api/v1/me')).catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      status: 502,
      code: 'UNAVAILABLE',
      retryable: true,
      retryAfterSeconds: null,
    });
  });

  it('answers the data of a success', async () => {
    const { fetch } = recordingFetch(() => json(200, { items: [], next_cursor: null }));
    const client = createScriptRipperClient({ baseUrl: 'https://sr.example.test', fetch });

    expect(await dataOrThrow(client.GET('/api/v1/jobs'))).toEqual({ items: [], next_cursor: null });
  });
});

describe('isApiErrorBody', () => {
  it('recognises only the complete error shape', () => {
    expect(isApiErrorBody({ error: { code: 'NOT_FOUND', message: 'No such job', retryable: false } })).toBe(
      true,
    );
    expect(isApiErrorBody({ error: { code: 'NOT_FOUND', message: 'No such job' } })).toBe(false);
    expect(isApiErrorBody({ message: 'x' })).toBe(false);
    expect(isApiErrorBody(null)).toBe(false);
  });
});
