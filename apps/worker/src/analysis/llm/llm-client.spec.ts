import { retryAfterMs } from './llm-client';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-28T10:00:00Z');

  it('reads retry-after-ms first, then retry-after in seconds or as an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
    expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2_000);
    expect(retryAfterMs({ 'retry-after': 'Sat, 28 Nov 2026 10:00:03 GMT' }, now)).toBe(3_000);
    expect(retryAfterMs({ 'retry-after': 'Sat, 28 Nov 2026 09:59:00 GMT' }, now)).toBe(0);
  });

  it('is undefined when the vendor names no delay, or none readable', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after-ms': '-5' }, now)).toBeUndefined();
  });
});
