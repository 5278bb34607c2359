import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';

/** One file of an export's manifest, checked against the bytes in the export. */
export interface ManifestCheck {
  readonly path: string;
  readonly verified: boolean;
  readonly problem?: string;
}

export interface ManifestReport {
  readonly verified: boolean;
  readonly files: readonly ManifestCheck[];
  /** What is wrong with the export or its manifest as a whole. */
  readonly problem?: string;
}

interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

const MANIFEST = 'manifest.json';

/**
 * Opens an export ZIP and checks its `manifest.json`: every file it lists is in the archive
 * with that sha256 and size, and nothing else is in the archive.
 */
export async function verifyExportZip(path: string): Promise<ManifestReport> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(await readFile(path)));
  } catch (error) {
    return failed(`not a readable ZIP (${(error as Error).message})`);
  }
  const manifestBytes = entries[MANIFEST];
  if (!manifestBytes) return failed(`no ${MANIFEST} in the archive`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8'));
  } catch (error) {
    return failed(`${MANIFEST} is not JSON (${(error as Error).message})`);
  }
  const contents = new Map(
    Object.entries(entries).filter(([name]) => name !== MANIFEST && !name.endsWith('/')),
  );
  return verifyAgainstManifest(manifest, contents);
}

/**
 * Checks the JSON export the same way: `{ manifest, files: [{ path, content }] }`, each file's
 * text (UTF-8) against the manifest's sha256 and size.
 */
export async function verifyExportJson(path: string): Promise<ManifestReport> {
  let document: { manifest?: unknown; files?: unknown };
  try {
    document = JSON.parse(await readFile(path, 'utf8')) as typeof document;
  } catch (error) {
    return failed(`not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(document.files)) return failed('no "files" in the document');
  const contents = new Map<string, Uint8Array>();
  for (const file of document.files as { path?: unknown; content?: unknown }[]) {
    if (typeof file.path !== 'string' || typeof file.content !== 'string') {
      return failed('a file without path and content');
    }
    contents.set(file.path, Buffer.from(file.content, 'utf8'));
  }
  return verifyAgainstManifest(document.manifest, contents);
}

/** Every listed file present with its sha256 and size, and every present file listed. */
export function verifyAgainstManifest(
  manifest: unknown,
  contents: ReadonlyMap<string, Uint8Array>,
): ManifestReport {
  let listed: ManifestEntry[];
  try {
    listed = manifestEntriesOf(manifest);
  } catch (error) {
    return failed(`the manifest is unreadable (${(error as Error).message})`);
  }
  const files: ManifestCheck[] = listed.map((entry) => checkEntry(entry, contents.get(entry.path)));
  const listedPaths = new Set(listed.map((entry) => entry.path));
  for (const name of contents.keys()) {
    if (!listedPaths.has(name))
      files.push({ path: name, verified: false, problem: 'present but not in the manifest' });
  }
  return { verified: files.every((file) => file.verified), files };
}

function checkEntry(entry: ManifestEntry, bytes: Uint8Array | undefined): ManifestCheck {
  if (!bytes) return { path: entry.path, verified: false, problem: 'listed but missing' };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== entry.sha256) return { path: entry.path, verified: false, problem: `sha256 is ${sha256}` };
  if (bytes.length !== entry.size) {
    return { path: entry.path, verified: false, problem: `size is ${bytes.length}, listed ${entry.size}` };
  }
  return { path: entry.path, verified: true };
}

/** `{ files: [{ path, sha256, size }] }`, as the worker writes it; at least one file. */
function manifestEntriesOf(manifest: unknown): ManifestEntry[] {
  const files = (manifest as { files?: unknown } | null)?.files;
  if (!Array.isArray(files) || files.length === 0) throw new Error('it lists no files');
  return files.map((file: unknown) => {
    const { path, sha256, size } = (file ?? {}) as Record<string, unknown>;
    if (typeof path !== 'string' || typeof sha256 !== 'string' || typeof size !== 'number') {
      throw new Error(`an entry without path, sha256 and size: ${JSON.stringify(file)}`);
    }
    return { path, sha256, size };
  });
}

function failed(problem: string): ManifestReport {
  return { verified: false, files: [], problem };
}
