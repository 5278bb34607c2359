import { decideRotation, evolveSigningKeys, initialSigningKeysState } from './signing-key.aggregate';

const key = (kid: string) => ({
  kid,
  algorithm: 'ES256' as const,
  public_jwk: { kty: 'EC', kid },
  private_key: 'sealed',
});

describe('signing keys', () => {
  it('makes the first key current with nothing to retire', () => {
    const [event] = decideRotation(initialSigningKeysState, {
      key: key('k1'),
      now: '2026-01-01T00:00:00.000Z',
    });
    expect(event?.data).toMatchObject({ kid: 'k1', previous_kid: null });
  });

  it('retires the current key when rotating', () => {
    const [first] = decideRotation(initialSigningKeysState, {
      key: key('k1'),
      now: '2026-01-01T00:00:00.000Z',
    });
    if (!first) throw new Error('the first key was not made');
    const state = evolveSigningKeys(initialSigningKeysState, first, '2026-01-01T00:00:00.000Z');
    const [second] = decideRotation(state, { key: key('k2'), now: '2026-01-02T00:00:00.000Z' });
    expect(second?.data).toMatchObject({ kid: 'k2', previous_kid: 'k1' });
  });

  it('rotates on schedule only once the current key is old enough', () => {
    const state = { currentKid: 'k1', currentSince: '2026-01-01T00:00:00.000Z' };
    const day = 86_400_000;
    expect(
      decideRotation(state, { key: key('k2'), now: '2026-01-20T00:00:00.000Z', ifOlderThanMs: 30 * day }),
    ).toEqual([]);
    expect(
      decideRotation(state, { key: key('k2'), now: '2026-01-31T00:00:00.000Z', ifOlderThanMs: 30 * day }),
    ).toHaveLength(1);
  });
});
