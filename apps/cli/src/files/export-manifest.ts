import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';

/** One file of an export's manifest, checked against the bytes in the archive. */
export interface ManifestCheck {
  readonly path: string;
  readonly verified: boolean;
  readonly problem?: string;
}

export interface ManifestReport {
  readonly verified: boolean;
  readonly files: readonly ManifestCheck[];
  /** What is wrong with the archive or the manifest as a whole. */
  readonly problem?: string;
}

interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

const MANIFEST = 'manifest.json';

/**
 * Opens an export ZIP and checks `manifest.json` against it: every file it lists is in the
 * archive with that sha256 and size, and every other file of the archive is listed.
 */
export async function verifyExportZip(path: string): Promise<ManifestReport> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(await readFile(path)));
  } catch (error) {
    return { verified: false, files: [], problem: `not a readable ZIP (${(error as Error).message})` };
  }
  const manifestBytes = entries[MANIFEST];
  if (!manifestBytes) return { verified: false, files: [], problem: `no ${MANIFEST} in the archive` };
  let listed: ManifestEntry[];
  try {
    listed = manifestEntriesOf(JSON.parse(Buffer.from(manifestBytes).toString('utf8')));
  } catch (error) {
    return { verified: false, files: [], problem: `${MANIFEST} is unreadable (${(error as Error).message})` };
  }
  const files: ManifestCheck[] = listed.map((entry) => checkEntry(entry, entries[entry.path]));
  const listedPaths = new Set(listed.map((entry) => entry.path));
  for (const name of Object.keys(entries)) {
    if (name === MANIFEST || name.endsWith('/') || listedPaths.has(name)) continue;
    files.push({ path: name, verified: false, problem: `in the archive but not in ${MANIFEST}` });
  }
  if (files.length === 0) return { verified: false, files, problem: `${MANIFEST} lists no file` };
  return { verified: files.every((file) => file.verified), files };
}

function checkEntry(entry: ManifestEntry, bytes: Uint8Array | undefined): ManifestCheck {
  if (!bytes) return { path: entry.path, verified: false, problem: 'listed but not in the archive' };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== entry.sha256) return { path: entry.path, verified: false, problem: `sha256 is ${sha256}` };
  if (bytes.length !== entry.size) {
    return { path: entry.path, verified: false, problem: `size is ${bytes.length}, listed ${entry.size}` };
  }
  return { path: entry.path, verified: true };
}

/**
 * The files a manifest lists: `{ files: [{ path, sha256, size }] }` (`name` for `path` too),
 * or `{ files: { "<path>": { sha256, size } } }`.
 */
export function manifestEntriesOf(manifest: unknown): ManifestEntry[] {
  const files = (manifest as { files?: unknown } | null)?.files;
  const raw: [string | undefined, unknown][] = Array.isArray(files)
    ? files.map((file) => [pathOf(file), file])
    : typeof files === 'object' && files !== null
      ? Object.entries(files)
      : [];
  if (raw.length === 0) throw new Error('no "files" in it');
  return raw.map(([path, file]) => {
    const { sha256, size } = (file ?? {}) as { sha256?: unknown; size?: unknown };
    if (!path || typeof sha256 !== 'string' || typeof size !== 'number') {
      throw new Error(`an entry without path, sha256 and size: ${JSON.stringify(file)}`);
    }
    return { path, sha256, size };
  });
}

function pathOf(file: unknown): string | undefined {
  const { path, name } = (file ?? {}) as { path?: unknown; name?: unknown };
  return typeof path === 'string' ? path : typeof name === 'string' ? name : undefined;
}
