import type { BuiltInProfile } from './built-in-profile';
import { meetingProfile } from './meeting.profile';
import { talkProfile } from './talk.profile';
import { tasksProfile } from './tasks.profile';

export const BUILT_IN_PROFILES: readonly BuiltInProfile[] = [meetingProfile, talkProfile, tasksProfile];
