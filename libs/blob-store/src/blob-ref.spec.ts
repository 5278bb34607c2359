import { blobUri, InvalidBlobIdError, sha256Of } from './blob-ref';

const hex = 'a'.repeat(64);

describe('blob ids', () => {
  it('reads the sha256 from a blob uri, a bare hex or a ref', () => {
    expect(sha256Of(`blob://sha256/${hex}`)).toBe(hex);
    expect(sha256Of(hex)).toBe(hex);
    expect(sha256Of({ uri: blobUri(hex), sha256: hex, size: 1 })).toBe(hex);
  });

  it.each([
    ['another scheme', `s3://sha256/${hex}`],
    ['another algorithm', `blob://md5/${hex}`],
    ['path traversal', `blob://sha256/../../etc/passwd`],
    ['a traversal after the hash', `blob://sha256/${hex}/../x`],
    ['a short hash', `blob://sha256/${hex.slice(1)}`],
    ['uppercase hex', `blob://sha256/${hex.toUpperCase()}`],
    ['a trailing newline', `${hex}\n`],
    ['nothing', ''],
  ])('refuses %s', (_what, id) => {
    expect(() => sha256Of(id)).toThrow(InvalidBlobIdError);
  });
});
