import type { IncomingMessage } from 'node:http';
import { correlationIdOf, currentCorrelationId, runWithCorrelationId } from './correlation-context';

const requestWith = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('correlation ids', () => {
  it('keeps an acceptable X-Request-Id', () => {
    expect(correlationIdOf(requestWith({ 'x-request-id': 'trace-42.a:b_c' }))).toBe('trace-42.a:b_c');
  });

  it('replaces an id that could forge log content or is too long', () => {
    for (const given of ['a b', 'x\n{"level":60}', 'é', 'x'.repeat(129)]) {
      expect(correlationIdOf(requestWith({ 'x-request-id': given }))).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers the same id for the same request every time', () => {
    const request = requestWith({});

    expect(correlationIdOf(request)).toBe(correlationIdOf(request));
  });

  it('is visible inside the work it was set for, and only there', async () => {
    const seen = await runWithCorrelationId('message-7', async () => {
      await Promise.resolve();
      return currentCorrelationId();
    });

    expect(seen).toBe('message-7');
    expect(currentCorrelationId()).toBeUndefined();
  });
});
