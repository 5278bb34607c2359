/**
 * The access-token signing keys, one stream (`signing-keys`): each rotation makes a new key
 * current and retires the previous one. Pure: no I/O, no clock.
 */
export interface SigningKeyRotated {
  readonly type: 'SigningKeyRotated';
  readonly data: {
    readonly kid: string;
    readonly algorithm: 'ES256';
    readonly public_jwk: Record<string, unknown>;
    /** PKCS#8 PEM sealed with the key-encryption key (base64). */
    readonly private_key: string;
    readonly previous_kid: string | null;
  };
}

export interface SigningKeysState {
  readonly currentKid: string | null;
  readonly currentSince: string | null;
}

export const initialSigningKeysState: SigningKeysState = { currentKid: null, currentSince: null };

export interface RotateSigningKey {
  readonly key: Omit<SigningKeyRotated['data'], 'previous_kid'>;
  readonly now: string;
  /** Rotate only when the current key is at least this old (ms); always when omitted. */
  readonly ifOlderThanMs?: number;
}

export function evolveSigningKeys(
  _state: SigningKeysState,
  event: SigningKeyRotated,
  recordedAt: string,
): SigningKeysState {
  return { currentKid: event.data.kid, currentSince: recordedAt };
}

export function decideRotation(state: SigningKeysState, command: RotateSigningKey): SigningKeyRotated[] {
  const due =
    command.ifOlderThanMs === undefined ||
    state.currentSince === null ||
    Date.parse(command.now) - Date.parse(state.currentSince) >= command.ifOlderThanMs;
  if (!due) return [];
  return [{ type: 'SigningKeyRotated', data: { ...command.key, previous_kid: state.currentKid } }];
}

export const SIGNING_KEYS_STREAM = 'signing-keys';
