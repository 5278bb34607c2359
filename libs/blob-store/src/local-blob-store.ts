import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline as pipe, Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { blobUri, sha256Of, type BlobId, type BlobRef } from './blob-ref';
import { BlobIntegrityError, BlobNotFoundError } from './blob-errors';
import type { BlobStore } from './blob-store';

const FILE_MODE = 0o640;
const DIRECTORY_MODE = 0o750;
/** Streamed puts land here until their hash is known; inside the root, so rename stays atomic. */
const INCOMING = '.incoming';

/**
 * Blobs as files `<root>/<aa>/<bb>/<sha256>`. Writes go to a temporary file, are fsynced and
 * renamed into place, so a reader never sees a partial blob and concurrent puts of the same
 * content simply replace it with identical bytes.
 */
export class LocalBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async put(content: Buffer | Readable): Promise<BlobRef> {
    return Buffer.isBuffer(content) ? this.putBuffer(content) : this.putStream(content);
  }

  async get(id: BlobId): Promise<Buffer> {
    const sha256 = sha256Of(id);
    const content = await readFile(this.pathOf(sha256)).catch((error: unknown) => {
      throw notFoundOr(error, sha256);
    });
    const actual = sha256Hex(content);
    if (actual !== sha256) throw new BlobIntegrityError(sha256, actual);
    return content;
  }

  async openReadStream(id: BlobId): Promise<Readable> {
    const sha256 = sha256Of(id);
    const handle = await open(this.pathOf(sha256), 'r').catch((error: unknown) => {
      throw notFoundOr(error, sha256);
    });
    // A read error on the file fails the returned stream too (plain .pipe would drop it).
    return pipe(handle.createReadStream(), new VerifyingStream(sha256), () => undefined);
  }

  async has(id: BlobId): Promise<boolean> {
    return (await this.stat(id)) !== undefined;
  }

  async delete(id: BlobId): Promise<boolean> {
    try {
      await unlink(this.pathOf(sha256Of(id)));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async writtenAt(id: BlobId): Promise<Date | undefined> {
    try {
      return (await stat(this.pathOf(sha256Of(id)))).mtime;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /**
   * Streamed puts (uploads) write into `.incoming/` until their hash is known; one whose process
   * died stays there. Small buffered puts write beside their blob and are not swept (a crash
   * leaves at most one small file per put in flight).
   */
  async removeAbandonedWrites(olderThan: Date): Promise<number> {
    const incoming = join(this.root, INCOMING);
    const names = await readdir(incoming).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    let removed = 0;
    for (const name of names.filter((entry) => entry.endsWith('.tmp'))) {
      const path = join(incoming, name);
      const modified = await stat(path).then(
        (info) => info.mtime,
        () => undefined,
      );
      if (!modified || modified >= olderThan) continue;
      if (
        await unlink(path).then(
          () => true,
          () => false,
        )
      )
        removed++;
    }
    return removed;
  }

  async stat(id: BlobId): Promise<BlobRef | undefined> {
    const sha256 = sha256Of(id);
    try {
      const stats = await stat(this.pathOf(sha256));
      return { uri: blobUri(sha256), sha256, size: stats.size };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  private async putBuffer(content: Buffer): Promise<BlobRef> {
    const ref = refOf(sha256Hex(content), content.length);
    const path = this.pathOf(ref.sha256);
    // Stored already: the put still counts as a write (`writtenAt`), so retention leaves it be.
    if (await touched(path)) return ref;
    const folder = await this.ensureFolderOf(ref.sha256);
    const temporary = join(folder, `.${ref.sha256}.${randomUUID()}.tmp`);
    try {
      const handle = await open(temporary, 'wx', FILE_MODE);
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await syncFolder(folder);
    return ref;
  }

  private async putStream(content: Readable): Promise<BlobRef> {
    const incoming = join(this.root, INCOMING);
    await mkdir(incoming, { recursive: true, mode: DIRECTORY_MODE });
    const temporary = join(incoming, `${randomUUID()}.tmp`);
    const hashing = new HashingStream();
    try {
      // `flush` fsyncs the file before the stream closes it.
      await pipeline(
        content,
        hashing,
        createWriteStream(temporary, { flags: 'wx', mode: FILE_MODE, flush: true }),
      );
      const ref = refOf(hashing.digest(), hashing.size);
      const path = this.pathOf(ref.sha256);
      if (await touched(path)) {
        await unlink(temporary);
        return ref;
      }
      const folder = await this.ensureFolderOf(ref.sha256);
      await rename(temporary, path);
      await syncFolder(folder);
      return ref;
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  private folderOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4));
  }

  private pathOf(sha256: string): string {
    return join(this.folderOf(sha256), sha256);
  }

  private async ensureFolderOf(sha256: string): Promise<string> {
    const folder = this.folderOf(sha256);
    await mkdir(folder, { recursive: true, mode: DIRECTORY_MODE });
    return folder;
  }
}

function refOf(sha256: string, size: number): BlobRef {
  return { uri: blobUri(sha256), sha256, size };
}

function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Hashes and counts what passes through, unchanged. */
class HashingStream extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Passes content through and fails, before ending, when it does not hash to the expected name. */
class VerifyingStream extends HashingStream {
  constructor(private readonly expected: string) {
    super();
  }

  override _flush(callback: TransformCallback): void {
    const actual = this.digest();
    callback(actual === this.expected ? null : new BlobIntegrityError(this.expected, actual));
  }
}

/** Marks an existing file as written now; false when there is none. */
async function touched(path: string): Promise<boolean> {
  const now = new Date();
  try {
    await utimes(path, now, now);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/** A rename is durable only once its folder's entry is on disk. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function notFoundOr(error: unknown, sha256: string): unknown {
  return isMissing(error) ? new BlobNotFoundError(sha256) : error;
}
