import { JOB_EVENTS_STREAM } from '@scriptripper/contracts';
import { LIFECYCLE_STREAMS } from './erasure/lifecycle-streams';

/**
 * The streams the jobs service consumes besides `rpc:jobs` (in its `jobs` group), for the app
 * and its test app alike: its own `events:jobs` (terminal job events become webhook deliveries);
 * `events:auth` (UserPurged) and `events:artifacts` (ArtifactExpired) for the lifecycle.
 */
export const JOBS_CONSUMED_STREAMS: readonly string[] = [JOB_EVENTS_STREAM, ...LIFECYCLE_STREAMS];
