import type { ReadModels } from '@scriptripper/service-runtime';
import { profileProjection } from './profile/profile.projection';

/**
 * The profiles service's read models: what its appends apply (AppModule) and what
 * `rebuild-projections` replays, from one list. Versions reference profiles, so they go first.
 */
export const profilesReadModels: ReadModels = {
  projections: [profileProjection],
  tables: ['profile_versions', 'profiles'],
};
