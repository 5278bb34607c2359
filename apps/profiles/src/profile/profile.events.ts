import type {
  DefaultVersionSetEvent,
  ProfileCreatedEvent,
  ProfileEventType,
  ProfileVersionDeprecatedEvent,
  ProfileVersionPublishedEvent,
} from '@scriptripper/contracts';

/** The events of a profile's stream (`profile-<key>`): the contracts' shapes, as other services see them. */
export interface ProfileEventMap {
  ProfileCreated: ProfileCreatedEvent;
  ProfileVersionPublished: ProfileVersionPublishedEvent;
  DefaultVersionSet: DefaultVersionSetEvent;
  ProfileVersionDeprecated: ProfileVersionDeprecatedEvent;
}

export type ProfileEvent = {
  [K in ProfileEventType]: { readonly type: K; readonly data: ProfileEventMap[K] };
}[ProfileEventType];

export const PROFILE_EVENT_TYPES: readonly ProfileEventType[] = [
  'ProfileCreated',
  'ProfileVersionPublished',
  'DefaultVersionSet',
  'ProfileVersionDeprecated',
];

/** Keyed by the profile's key, so a second create of the same key collides on the stream itself. */
export const profileStreamId = (key: string) => `profile-${key}`;
export const PROFILE_STREAM_TYPE = 'profile';
