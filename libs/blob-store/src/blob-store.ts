import type { Readable } from 'node:stream';
import type { BlobId, BlobRef } from './blob-ref';

/**
 * Content-addressed blob storage. Implementations: `LocalBlobStore` (a folder, shared by
 * the services that mount it); an S3-compatible one can be added behind the same interface.
 */
export interface BlobStore {
  /** Stores the content once, whatever number of times it is put; answers its ref. */
  put(content: Buffer | Readable): Promise<BlobRef>;
  /** The whole content, verified against its name (`BlobIntegrityError` otherwise). */
  get(id: BlobId): Promise<Buffer>;
  /**
   * The content as a stream, verified while read: a corrupted blob fails the stream with
   * `BlobIntegrityError` before it ends, so consumers must treat content as valid only on 'end'.
   */
  openReadStream(id: BlobId): Promise<Readable>;
  has(id: BlobId): Promise<boolean>;
  /** Answers whether there was something to delete. */
  delete(id: BlobId): Promise<boolean>;
  /** The ref of a stored blob (size from storage, unverified), or undefined. */
  stat(id: BlobId): Promise<BlobRef | undefined>;
  /**
   * When the blob was last written, a put of the same content again included, or undefined when
   * it is not stored: retention keeps a blob written moments ago, whose new holder may not be
   * recorded yet.
   */
  writtenAt(id: BlobId): Promise<Date | undefined>;
  /**
   * Removes writes that never finished (a process killed mid-upload leaves its temporary file)
   * last touched before `olderThan`; answers how many. Finished blobs are never touched.
   */
  removeAbandonedWrites(olderThan: Date): Promise<number>;
}
