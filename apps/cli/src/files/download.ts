import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ArtifactView } from '../api/scriptripper-api';
import type { ScriptRipperApi } from '../api/scriptripper-api';

/** One artifact written to disk, with what was checked. */
export interface DownloadedFile {
  readonly artifact_id: string;
  readonly kind: string;
  /** Where the file is; where it would have been when the check failed (it is not kept then). */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly expected_size: number;
  readonly expected_sha256: string;
  readonly verified: boolean;
}

/**
 * Downloads every artifact into `folder` through its signed URL, each checked against its
 * artifact's sha256 and size. A file whose bytes differ is not kept, so what is on disk is
 * always what the platform recorded.
 */
export async function downloadArtifacts(
  api: ScriptRipperApi,
  artifacts: readonly ArtifactView[],
  folder: string,
): Promise<DownloadedFile[]> {
  await mkdir(folder, { recursive: true });
  const taken = new Set<string>();
  const files: DownloadedFile[] = [];
  for (const artifact of artifacts) {
    const name = uniqueName(fileNameOf(artifact), artifact.kind, taken);
    files.push(await downloadArtifact(api, artifact, join(folder, name)));
  }
  return files;
}

export async function downloadArtifact(
  api: ScriptRipperApi,
  artifact: ArtifactView,
  path: string,
): Promise<DownloadedFile> {
  const signed = await api.signArtifact(artifact.id);
  const response = await api.client.download(signed.url);
  const partial = `${path}.part`;
  const hash = createHash('sha256');
  let size = 0;
  const body = response.body
    ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)
    : Readable.from([]);
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(partial),
    );
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const sha256 = hash.digest('hex');
  const verified = sha256 === artifact.checksum && size === artifact.size;
  if (verified) await rename(partial, path);
  else await rm(partial, { force: true });
  return {
    artifact_id: artifact.id,
    kind: artifact.kind,
    path,
    size,
    sha256,
    expected_size: artifact.size,
    expected_sha256: artifact.checksum,
    verified,
  };
}

/** The artifact's own file name, made safe as one path segment. */
export function fileNameOf(artifact: Pick<ArtifactView, 'filename' | 'kind'>): string {
  return (
    safeSegment(basename(artifact.filename || artifact.kind)) || safeSegment(artifact.kind) || 'artifact'
  );
}

/** Only characters every file system takes; no leading dots (no hidden files, no `..`). */
export function safeSegment(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
}

function uniqueName(name: string, kind: string, taken: Set<string>): string {
  let candidate = name;
  if (taken.has(candidate)) candidate = `${safeSegment(kind)}-${name}`;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${n}-${name}`;
  taken.add(candidate);
  return candidate;
}

/** An artifact's bytes in memory (a prompt's answer), checked against its sha256 and size. */
export async function fetchArtifact(
  api: ScriptRipperApi,
  artifact: ArtifactView,
): Promise<{ bytes: Buffer; sha256: string; verified: boolean }> {
  const signed = await api.signArtifact(artifact.id);
  const response = await api.client.download(signed.url);
  const bytes = Buffer.from(await response.arrayBuffer());
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { bytes, sha256, verified: sha256 === artifact.checksum && bytes.length === artifact.size };
}
