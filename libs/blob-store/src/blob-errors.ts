export class BlobNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`Blob ${sha256} does not exist`);
    this.name = 'BlobNotFoundError';
  }
}

/** The stored bytes no longer hash to the blob's name: corruption on disk, never served. */
export class BlobIntegrityError extends Error {
  constructor(
    readonly sha256: string,
    readonly actualSha256: string,
  ) {
    super(`Blob ${sha256} is corrupted: its content hashes to ${actualSha256}`);
    this.name = 'BlobIntegrityError';
  }
}
