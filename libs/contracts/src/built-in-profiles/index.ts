// The profiles the profiles service publishes at its start (every version, the newest the default); the
// worker's tests check its output against the same definitions.
export { builtInProfile, type BuiltInProfile } from './built-in-profile';
export { BUILT_IN_PROFILES } from './built-in-profiles';
export { meetingProfile } from './meeting.profile';
export { talkProfile } from './talk.profile';
export { tasksProfile } from './tasks.profile';
