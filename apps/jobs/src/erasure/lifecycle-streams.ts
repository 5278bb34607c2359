import { ARTIFACT_EVENTS_STREAM, Streams } from '@scriptripper/contracts';

/** The streams jobs consumes for the lifecycle: UserPurged from auth, ArtifactExpired from artifacts. */
export const LIFECYCLE_STREAMS: readonly string[] = [Streams.events('auth'), ARTIFACT_EVENTS_STREAM];
