import { LIFECYCLE_STREAMS } from './erasure/lifecycle-streams';

/**
 * The streams the artifacts service consumes besides `rpc:artifacts` (in its `artifacts` group),
 * for the app and its test app alike: `events:jobs` (JobCreated, JobDeleted) and `events:auth`
 * (UserPurged) for the lifecycle.
 */
export const ARTIFACTS_CONSUMED_STREAMS: readonly string[] = [...LIFECYCLE_STREAMS];
