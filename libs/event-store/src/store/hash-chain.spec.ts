import { canonicalJson, eventHash, type HashedEventContent } from './hash-chain';

describe('canonicalJson', () => {
  it('sorts object keys recursively, including inside arrays', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('orders integer-like keys as strings, not numerically as JSON.stringify does', () => {
    expect(canonicalJson({ '9': 'a', '10': 'b' })).toBe('{"10":"b","9":"a"}');
  });

  it('normalises values the way a round trip through JSON does', () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    expect(canonicalJson({ at, gone: undefined, list: [undefined] })).toBe(
      '{"at":"2024-05-01T10:00:00.000Z","list":[null]}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('gives the same text for objects that differ only in key order', () => {
    expect(canonicalJson({ x: 1, y: { p: 'q', r: 's' } })).toBe(
      canonicalJson({ y: { r: 's', p: 'q' }, x: 1 }),
    );
  });
});

describe('eventHash', () => {
  const event: HashedEventContent = {
    streamId: 'job-1',
    streamType: 'job',
    streamVersion: 1,
    type: 'JobCreated',
    data: { title: 'a', size: 2 },
    metadata: { correlationId: 'c' },
    recordedAt: new Date('2024-05-01T10:00:00.000Z'),
  };

  it('is a sha256 hex digest that ignores key order in data', () => {
    const hash = eventHash(null, event);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(null, { ...event, data: { size: 2, title: 'a' } })).toBe(hash);
  });

  it('changes when the previous hash, the content or the recording time changes', () => {
    const hash = eventHash(null, event);
    expect(eventHash('0'.repeat(64), event)).not.toBe(hash);
    expect(eventHash(null, { ...event, data: { title: 'b' } })).not.toBe(hash);
    expect(eventHash(null, { ...event, streamVersion: 2 })).not.toBe(hash);
    expect(eventHash(null, { ...event, recordedAt: new Date('2024-05-01T10:00:00.001Z') })).not.toBe(hash);
  });
});
