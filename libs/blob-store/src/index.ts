// Content-addressed blob storage (sha256 names) with atomic writes and verified reads.
export { blobUri, InvalidBlobIdError, sha256Of, type BlobId, type BlobRef } from './blob-ref';
export { BlobIntegrityError, BlobNotFoundError } from './blob-errors';
export type { BlobStore } from './blob-store';
export { LocalBlobStore } from './local-blob-store';
