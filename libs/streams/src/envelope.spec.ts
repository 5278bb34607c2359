import { createEnvelope, parseEnvelope, withContext, unwrapContextualData, causedBy } from './envelope';
import { MalformedEnvelopeError } from './errors';

const valid = () => ({
  id: 'm-1',
  type: 'JobCreated',
  correlationId: 'c-1',
  causationId: null,
  actor: { id: 'u-1', role: 'user', scopes: ['jobs:read'] },
  occurredAt: '2025-01-02T03:04:05.678Z',
  schemaVersion: 1,
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  data: { jobId: 'j-1' },
});

function reasonFor(raw: unknown): string {
  try {
    parseEnvelope(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedEnvelopeError);
    return (error as MalformedEnvelopeError).reason;
  }
  throw new Error('expected the envelope to be refused');
}

describe('parseEnvelope', () => {
  it('accepts a complete envelope given as JSON text', () => {
    expect(parseEnvelope(JSON.stringify(valid()))).toEqual(valid());
  });

  it('keeps the credential an actor came with', () => {
    const session = { kind: 'session', session_id: 's-1', issued_at: 1_700_000_000 };
    const token = { kind: 'api-token', token_id: 't-1' };
    for (const credential of [session, token]) {
      const raw = { ...valid(), actor: { ...valid().actor, credential } };
      expect(parseEnvelope(JSON.stringify(raw)).actor.credential).toEqual(credential);
    }
  });

  it('refuses text that is not JSON', () => {
    expect(reasonFor('{nope')).toBe('not valid JSON');
  });

  it('refuses JSON that is not an object', () => {
    expect(reasonFor('[1,2]')).toBe('envelope is not a JSON object');
  });

  it.each([
    ['id', { id: '' }, 'id must be a non-empty string'],
    ['type', { type: 7 }, 'type must be a non-empty string'],
    ['correlationId', { correlationId: undefined }, 'correlationId must be a non-empty string'],
    ['causationId', { causationId: 3 }, 'causationId must be a non-empty string or null'],
    ['actor', { actor: 'me' }, 'actor must be an object'],
    ['actor.role', { actor: { id: 'u', role: 'root', scopes: [] } }, 'actor.role must be one of'],
    [
      'actor.scopes',
      { actor: { id: 'u', role: 'user', scopes: [1] } },
      'actor.scopes must be an array of strings',
    ],
    [
      'actor.credential',
      { actor: { id: 'u', role: 'user', scopes: [], credential: { kind: 'cookie' } } },
      'actor.credential.kind must be session or api-token',
    ],
    [
      'actor.credential.session_id',
      { actor: { id: 'u', role: 'user', scopes: [], credential: { kind: 'session', issued_at: 1 } } },
      'actor.credential.session_id must be a non-empty string',
    ],
    ['occurredAt', { occurredAt: '2025-01-02 03:04' }, 'occurredAt must be an ISO-8601 UTC timestamp'],
    ['occurredAt date', { occurredAt: '2025-13-45T03:04:05Z' }, 'occurredAt is not a real date'],
    ['schemaVersion', { schemaVersion: 0 }, 'schemaVersion must be a positive integer'],
    ['traceparent', { traceparent: 'abc' }, 'traceparent must be a W3C traceparent or null'],
  ])('refuses a bad %s with a clear reason', (_field, patch, reason) => {
    expect(reasonFor({ ...valid(), ...patch })).toContain(reason);
  });

  it('refuses an envelope without data', () => {
    const { data: _data, ...rest } = valid();
    expect(reasonFor(rest)).toBe('data is missing');
  });

  it('accepts null data and a null traceparent', () => {
    expect(parseEnvelope({ ...valid(), data: null, traceparent: null }).data).toBeNull();
  });
});

describe('createEnvelope', () => {
  it('fills ids, time and an anonymous actor when no context is given, and parses back', () => {
    const envelope = createEnvelope('jobs.create', { a: 1 });
    expect(envelope.correlationId).toBe(envelope.id);
    expect(envelope.actor.role).toBe('anonymous');
    expect(parseEnvelope(JSON.stringify(envelope))).toEqual(envelope);
  });

  it('carries the context of the message that caused it', () => {
    const cause = createEnvelope('JobQueued', {}, { correlationId: 'c-9', actor: valid().actor as never });
    const effect = createEnvelope('JobStarted', {}, causedBy(cause));
    expect(effect).toMatchObject({ correlationId: 'c-9', causationId: cause.id, actor: cause.actor });
  });
});

describe('withContext', () => {
  it('wraps data with call options that the client unwraps', () => {
    expect(unwrapContextualData(withContext({ timeoutMs: 5 }, { x: 1 }))).toEqual({
      options: { timeoutMs: 5 },
      data: { x: 1 },
    });
    expect(unwrapContextualData({ x: 1 })).toEqual({ options: {}, data: { x: 1 } });
  });
});
