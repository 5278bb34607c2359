import { blobReferenceOf, errorBodyOf, sha256Of, textOf, uuidOf } from './payload-readers';

const hex = 'a'.repeat(64);

describe('payload readers', () => {
  it('answers checked values and refuses others with VALIDATION_FAILED naming the field', () => {
    expect(uuidOf('0C9F2F5E-4B1A-4C55-9E9B-2B1D3C4E5F60', 'job_id')).toBe(
      '0c9f2f5e-4b1a-4c55-9e9b-2b1d3c4e5f60',
    );
    expect(() => uuidOf('not-a-uuid', 'job_id')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', message: 'job_id must be a UUID' }),
    );
    expect(textOf('meeting', 'profile', 63)).toBe('meeting');
    for (const bad of ['', '   ', 'x'.repeat(64), 7])
      expect(() => textOf(bad, 'profile', 63)).toThrow(/profile/);
    expect(sha256Of(hex, 'request_hash')).toBe(hex);
    expect(() => sha256Of(hex.toUpperCase(), 'request_hash')).toThrow(/request_hash/);
  });

  it('takes a blob reference only when its uri names the sha256 it claims', () => {
    const blob = { uri: `blob://sha256/${hex}`, sha256: hex, size: 3, extra: true };
    expect(blobReferenceOf(blob, 'input')).toEqual({ uri: blob.uri, sha256: hex, size: 3 });
    for (const bad of [
      { ...blob, uri: `blob://sha256/${'b'.repeat(64)}` },
      { ...blob, size: -1 },
      { ...blob, size: 1.5 },
      null,
    ]) {
      expect(() => blobReferenceOf(bad, 'items[2].input')).toThrow(/items\[2\]\.input/);
    }
  });

  it('reads a reported failure, bounded', () => {
    expect(errorBodyOf({ code: 'X', message: 'late', retryable: false })).toEqual({
      code: 'X',
      message: 'late',
      retryable: false,
    });
    expect(() => errorBodyOf({ code: 'X', message: 'late' })).toThrow(/error\.retryable/);
    expect(() => errorBodyOf({ code: 'X'.repeat(101), message: 'm', retryable: true })).toThrow(
      /error\.code/,
    );
  });
});
