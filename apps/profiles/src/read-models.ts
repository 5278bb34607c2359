import { ProfileVersion } from './profile/profile-version.entity';
import { Profile } from './profile/profile.entity';

/** Every table of the profiles schema besides the event store's. */
export const profilesEntities = [Profile, ProfileVersion];
