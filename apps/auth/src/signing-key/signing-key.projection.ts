import type { Projection, RecordedEvent } from '@scriptripper/event-store';
import type { SigningKeyRotated } from './signing-key.aggregate';
import { SigningKey } from './signing-key.entity';

/** signing_keys: the new key current, the previous one retired at the rotation's time. */
export const signingKeyProjection: Projection = {
  name: 'signing-keys',
  handles: ['SigningKeyRotated'],
  async apply(em, recorded) {
    const { data } = recorded as RecordedEvent<SigningKeyRotated['data']>;
    if (data.previous_kid) {
      await em.nativeUpdate(SigningKey, { kid: data.previous_kid }, { retiredAt: recorded.recordedAt });
    }
    await em.insert(SigningKey, {
      kid: data.kid,
      algorithm: data.algorithm,
      publicJwk: data.public_jwk,
      privateKey: data.private_key,
      createdAt: recorded.recordedAt,
      retiredAt: null,
    });
  },
};
