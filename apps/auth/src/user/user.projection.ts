import type { EntityManager } from '@mikro-orm/postgresql';
import type { Projection, RecordedEvent } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { ApiToken } from '../api-token/api-token.entity';
import { MagicLink } from '../magic-link/magic-link.entity';
import { RefreshToken } from '../session/refresh-token.entity';
import { User } from './user.entity';
import { USER_EVENT_TYPES, type UserEvent } from './user.events';

/**
 * The read models of a user's stream: users, magic_links, refresh_tokens, api_tokens. Personal
 * data is decrypted into them (they are deleted on purge); a rebuild after a purge finds the
 * key gone and writes nothing for that user.
 */
export function userProjection(keyEncryptionKey: Buffer): Projection {
  return {
    name: 'users',
    handles: USER_EVENT_TYPES,
    apply: (em, recorded) =>
      applyUserEvent(
        em,
        new PersonalDataCipher(em, keyEncryptionKey),
        recorded.streamId.slice('user-'.length),
        recorded as RecordedEvent<never>,
      ),
  };
}

async function applyUserEvent(
  em: EntityManager,
  cipher: PersonalDataCipher,
  userId: string,
  recorded: RecordedEvent<never>,
): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as UserEvent;
  const at = recorded.recordedAt;
  switch (event.type) {
    case 'MagicLinkRequested': {
      const email = await cipher.decrypt(userId, event.data.email, em);
      if (email === null) return;
      await em.insert(MagicLink, {
        id: event.data.link_id,
        userId,
        email,
        tokenHash: event.data.token_hash,
        expiresAt: new Date(event.data.expires_at),
        usedAt: null,
        createdAt: at,
      });
      return;
    }
    case 'UserRegistered': {
      const email = await cipher.decrypt(userId, event.data.email, em);
      if (email === null) return;
      const name = event.data.name === null ? null : await cipher.decrypt(userId, event.data.name, em);
      await em.insert(User, { id: userId, email, name, role: event.data.role, createdAt: at, updatedAt: at });
      return;
    }
    case 'UserSignedIn':
      if (event.data.link_id) await em.nativeUpdate(MagicLink, { id: event.data.link_id }, { usedAt: at });
      await insertRefreshToken(em, userId, event.data.session_id, event.data, at);
      return;
    case 'RefreshTokenRotated':
      await em.nativeUpdate(RefreshToken, { id: event.data.used_token_id }, { usedAt: at });
      await insertRefreshToken(em, userId, event.data.session_id, event.data, at);
      return;
    case 'SessionRevoked':
      await em.nativeUpdate(
        RefreshToken,
        { sessionId: event.data.session_id, revokedAt: null },
        { revokedAt: at },
      );
      return;
    case 'RoleChanged':
      await em.nativeUpdate(User, { id: userId }, { role: event.data.to, updatedAt: at });
      return;
    case 'ApiTokenIssued':
      await em.insert(ApiToken, {
        id: event.data.token_id,
        userId,
        name: event.data.name,
        scopes: event.data.scopes,
        tokenHash: event.data.token_hash,
        createdAt: at,
        expiresAt: event.data.expires_at === null ? null : new Date(event.data.expires_at),
        lastUsedAt: null,
        revokedAt: null,
        parentTokenId: event.data.parent_token_id ?? null,
      });
      return;
    case 'ApiTokenRevoked':
      await em.nativeUpdate(ApiToken, { id: event.data.token_id }, { revokedAt: at });
      return;
    case 'UserPurged':
      for (const entity of [ApiToken, RefreshToken, MagicLink] as const) {
        await em.nativeDelete(entity, { userId });
      }
      await em.nativeDelete(User, { id: userId });
      return;
  }
}

function insertRefreshToken(
  em: EntityManager,
  userId: string,
  sessionId: string,
  data: { refresh_token_id: string; refresh_token_hash: string; refresh_expires_at: string },
  at: Date,
) {
  return em.insert(RefreshToken, {
    id: data.refresh_token_id,
    sessionId,
    userId,
    tokenHash: data.refresh_token_hash,
    expiresAt: new Date(data.refresh_expires_at),
    usedAt: null,
    revokedAt: null,
    createdAt: at,
  });
}
