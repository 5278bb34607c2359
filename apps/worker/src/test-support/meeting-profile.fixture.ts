import { meetingProfile, type ResolvedProfile } from '@scriptripper/contracts';

/**
 * The built-in `meeting` profile, version 1, as the profiles service resolves it: the int
 * test's stand-in profiles peer answers it, so the worker's output is checked against the real
 * meeting schema and rendered with the real template.
 */
export const MEETING_PROFILE: ResolvedProfile = {
  profile_id: '00000000-0000-4000-8000-000000000001',
  key: 'meeting',
  version: 1,
  ...meetingProfile.definition,
};
