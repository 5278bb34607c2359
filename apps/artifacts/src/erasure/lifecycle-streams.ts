import { JOB_EVENTS_STREAM, Streams } from '@scriptripper/contracts';

/** What artifacts consumes for the lifecycle: JobCreated/JobDeleted from jobs, UserPurged from auth. */
export const LIFECYCLE_STREAMS: readonly string[] = [JOB_EVENTS_STREAM, Streams.events('auth')];
