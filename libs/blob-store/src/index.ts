// Content-addressed blob storage (sha256 names) with atomic writes and verified reads.
export {};
