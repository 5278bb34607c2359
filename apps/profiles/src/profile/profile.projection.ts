import type { EntityManager } from '@mikro-orm/postgresql';
import type { Projection, RecordedEvent } from '@scriptripper/event-store';
import { ProfileVersion } from './profile-version.entity';
import { Profile } from './profile.entity';
import { PROFILE_EVENT_TYPES, type ProfileEvent } from './profile.events';

/** The read models of a profile's stream: profiles and profile_versions. */
export const profileProjection: Projection = {
  name: 'profiles',
  handles: PROFILE_EVENT_TYPES,
  apply: (em, recorded) => applyProfileEvent(em, recorded),
};

async function applyProfileEvent(em: EntityManager, recorded: RecordedEvent): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as ProfileEvent;
  const at = recorded.recordedAt;
  switch (event.type) {
    case 'ProfileCreated':
      // Creation always makes version 1 the default, in the same append (see decide).
      await em.insert(Profile, {
        id: event.data.profile_id,
        key: event.data.key,
        name: event.data.name,
        description: event.data.description,
        defaultVersion: 1,
        createdAt: at,
        updatedAt: at,
      });
      return;
    case 'ProfileVersionPublished':
      await em.insert(ProfileVersion, {
        profile: event.data.profile_id,
        version: event.data.version,
        prompts: event.data.prompts,
        parameters: event.data.parameters,
        outputSchema: event.data.output_schema,
        template: event.data.template,
        status: event.data.status,
        createdAt: at,
      });
      await touch(em, event.data.profile_id, at);
      return;
    case 'DefaultVersionSet':
      await em.nativeUpdate(
        Profile,
        { id: event.data.profile_id },
        { defaultVersion: event.data.version, updatedAt: at },
      );
      await em.nativeUpdate(
        ProfileVersion,
        { profile: event.data.profile_id, version: event.data.version },
        { status: 'active' },
      );
      return;
    case 'ProfileVersionDeprecated':
      await em.nativeUpdate(
        ProfileVersion,
        { profile: event.data.profile_id, version: event.data.version },
        { status: 'deprecated' },
      );
      await touch(em, event.data.profile_id, at);
      return;
  }
}

function touch(em: EntityManager, profileId: string, at: Date) {
  return em.nativeUpdate(Profile, { id: profileId }, { updatedAt: at });
}
