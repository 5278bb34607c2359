import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deleteKeysWithPrefix, testKeyPrefix, testRedisUrl } from '@scriptripper/testing';
import { startGateway, type RunningGateway } from '../test-support/gateway-test-app';
import { SDK_SCHEMA_FILE, sdkSchemaSourceOf, workspaceRoot } from './sdk-schema';

/**
 * "CI fails when the generated types drift": the SDK's committed types must be exactly what
 * the running gateway's OpenAPI document generates. Run `npm run sdk:generate` and commit.
 */
describe("the SDK's generated types", () => {
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix('sdk-schema');
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix });
  });

  afterAll(async () => {
    await gateway?.app.close();
    await deleteKeysWithPrefix(redisUrl, keyPrefix);
  });

  it("match the running gateway's OpenAPI document (else: npm run sdk:generate)", async () => {
    const response = await fetch(`${gateway.url}/api/docs-json`);
    expect(response.status).toBe(200);

    const generated = await sdkSchemaSourceOf(await response.json());
    const committed = await readFile(join(workspaceRoot(), SDK_SCHEMA_FILE), 'utf8');

    // A plain comparison first, so a drift fails with a short message rather than a huge diff.
    if (committed !== generated) {
      const at = [...committed].findIndex((char, index) => char !== generated[index]);
      const line = committed.slice(0, at).split('\n').length;
      throw new Error(
        `${SDK_SCHEMA_FILE} differs from the gateway's document from line ${line}: run npm run sdk:generate`,
      );
    }
  });

  it('gives every JSON body and answer of the API a schema, so the SDK types them', async () => {
    const document = (await (await fetch(`${gateway.url}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const untyped: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const bodies = {
          request: operation.requestBody?.content ?? {},
          ...Object.fromEntries(
            Object.entries(operation.responses)
              .filter(([status]) => /^2/.test(status))
              .map(([status, response]) => [status, response.content ?? {}]),
          ),
        };
        for (const [which, content] of Object.entries(bodies)) {
          const schema = content['application/json']?.schema;
          if (schema && !schema.$ref && !schema.type) untyped.push(`${method} ${path} ${which}`);
        }
      }
    }
    expect(untyped).toEqual([]);
  });

  it('types no field as an empty object (a union or `unknown` that the document left untyped)', async () => {
    const source = await readFile(join(workspaceRoot(), SDK_SCHEMA_FILE), 'utf8');
    const empty = source
      .split('\n')
      .filter((line) => /^\s+[a-z_]+\??: Record<string, never>/.test(line))
      .map((line) => line.trim());
    expect(empty).toEqual([]);
  });
});

interface Operation {
  requestBody?: { content?: Record<string, { schema?: { $ref?: string; type?: string } }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string; type?: string } }> }>;
}
