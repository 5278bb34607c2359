import type { Scope, UserRole } from '@scriptripper/contracts';

/**
 * The events of a user's stream (`user-<id>`). Personal data (email, name) is encrypted with
 * the user's data key (`pd1:...`), so purging the user makes it unreadable; secrets appear
 * only as sha256 hashes.
 */
export interface UserEventMap {
  MagicLinkRequested: { link_id: string; token_hash: string; email: string; expires_at: string };
  UserRegistered: { email: string; name: string | null; role: UserRole };
  UserSignedIn: {
    method: 'magic-link' | 'oidc';
    link_id: string | null;
    session_id: string;
    refresh_token_id: string;
    refresh_token_hash: string;
    refresh_expires_at: string;
  };
  RefreshTokenRotated: {
    session_id: string;
    used_token_id: string;
    refresh_token_id: string;
    refresh_token_hash: string;
    refresh_expires_at: string;
  };
  SessionRevoked: { session_id: string; reason: 'sign-out' | 'refresh-token-reuse' };
  RoleChanged: { from: UserRole; to: UserRole };
  ApiTokenIssued: {
    token_id: string;
    name: string;
    scopes: Scope[];
    token_hash: string;
    expires_at: string | null;
    /** The API token it was made with (absent in events recorded before tokens had parents). */
    parent_token_id?: string | null;
  };
  /** `revoked_with`: the ancestor whose revocation took this token with it. */
  ApiTokenRevoked: { token_id: string; revoked_with?: string };
  UserPurged: { user_id: string };
}

export type UserEventType = keyof UserEventMap;

export type UserEvent = {
  [K in UserEventType]: { readonly type: K; readonly data: UserEventMap[K] };
}[UserEventType];

export const USER_EVENT_TYPES: readonly UserEventType[] = [
  'MagicLinkRequested',
  'UserRegistered',
  'UserSignedIn',
  'RefreshTokenRotated',
  'SessionRevoked',
  'RoleChanged',
  'ApiTokenIssued',
  'ApiTokenRevoked',
  'UserPurged',
];

export const userStreamId = (userId: string) => `user-${userId}`;
export const USER_STREAM_TYPE = 'user';
