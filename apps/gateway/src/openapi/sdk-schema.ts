import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The workspace root: the nearest folder up with nx.json (this file runs from apps/ or dist/apps/). */
export function workspaceRoot(from = __dirname): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'nx.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`No workspace root (nx.json) above ${from}`);
  }
}

/** Where the SDK's generated types are committed. */
export const SDK_SCHEMA_FILE = 'libs/sdk/src/generated/schema.ts';

/**
 * The SDK's TypeScript source for `document` (an OpenAPI document as parsed JSON), as
 * libs/sdk/scripts/schema-from-openapi.mjs writes it (openapi-typescript, then Prettier).
 * A child process: those are ES modules, which Jest's CommonJS runtime cannot load.
 */
export function sdkSchemaSourceOf(document: unknown): Promise<string> {
  const root = workspaceRoot();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'libs/sdk/scripts/schema-from-openapi.mjs')], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`schema-from-openapi exited ${code}: ${Buffer.concat(err).toString('utf8')}`)),
    );
    child.stdin.end(JSON.stringify(document));
  });
}
