import { conflict, notFound, type ErrorBody } from '@scriptripper/contracts';

/**
 * A job's speaker relabellings, one stream per job (`job-speakers-<job id>`), so they apply in
 * order: a new one is refused while another is still being applied. Pure: `evolve` folds
 * events, `decide` answers a command. The names are sealed before they get here.
 */
export interface RelabelRequestedData {
  readonly relabel_id: string;
  readonly job_id: string;
  readonly user_id: string;
  readonly user_role: 'user' | 'admin';
  /** `pd1:...`: the JSON of the renames, sealed under the job's own data key (shredded with the job). */
  readonly rename: string;
  readonly profile: { readonly key: string; readonly version: number };
  readonly at: string;
}
export interface RelabelAppliedData {
  readonly relabel_id: string;
  readonly job_id: string;
  readonly user_id: string;
  readonly artifact_ids: readonly string[];
  readonly at: string;
}
export interface RelabelFailedData {
  readonly relabel_id: string;
  readonly job_id: string;
  readonly user_id: string;
  readonly error: ErrorBody;
  readonly at: string;
}
export type RelabelEvent =
  | { readonly type: 'SpeakersRelabelRequested'; readonly data: RelabelRequestedData }
  | { readonly type: 'SpeakersRelabeled'; readonly data: RelabelAppliedData }
  | { readonly type: 'SpeakersRelabelFailed'; readonly data: RelabelFailedData };
export const RELABEL_EVENT_TYPES: readonly RelabelEvent['type'][] = [
  'SpeakersRelabelRequested',
  'SpeakersRelabeled',
  'SpeakersRelabelFailed',
];
export const jobSpeakersStreamId = (jobId: string) => `job-speakers-${jobId}`;
export const JOB_SPEAKERS_STREAM_TYPE = 'job-speakers';

export type RelabelStatus = 'pending' | 'applied' | 'failed';
export interface JobSpeakersState {
  readonly relabels: ReadonlyMap<
    string,
    {
      readonly status: RelabelStatus;
      readonly requested: RelabelRequestedData;
      /** Why the worker could not apply it (status `failed`). */
      readonly error?: ErrorBody;
    }
  >;
  /** The relabelling being applied, if any. */
  readonly pending: string | null;
}
export const initialJobSpeakersState: JobSpeakersState = { relabels: new Map(), pending: null };

export type RelabelCommand =
  | { readonly type: 'RequestRelabel'; readonly request: RelabelRequestedData }
  | {
      readonly type: 'MarkApplied';
      readonly relabelId: string;
      readonly artifactIds: readonly string[];
      readonly at: string;
    }
  | {
      readonly type: 'MarkFailed';
      readonly relabelId: string;
      readonly error: ErrorBody;
      readonly at: string;
    };

export function evolve(state: JobSpeakersState, event: RelabelEvent): JobSpeakersState {
  const relabels = new Map(state.relabels);
  const id = event.data.relabel_id;
  if (event.type === 'SpeakersRelabelRequested') {
    relabels.set(id, { status: 'pending', requested: event.data });
    return { relabels, pending: id };
  }
  const known = relabels.get(id);
  if (known && event.type === 'SpeakersRelabeled') relabels.set(id, { ...known, status: 'applied' });
  if (known && event.type === 'SpeakersRelabelFailed')
    relabels.set(id, { ...known, status: 'failed', error: event.data.error });
  return { relabels, pending: state.pending === id ? null : state.pending };
}

export function decide(state: JobSpeakersState, command: RelabelCommand): RelabelEvent[] {
  if (command.type === 'RequestRelabel') {
    if (state.pending) {
      throw conflict(
        `the speakers of job ${command.request.job_id} are being relabelled already; try again once that is done`,
      );
    }
    return [{ type: 'SpeakersRelabelRequested', data: command.request }];
  }
  const relabel = state.relabels.get(command.relabelId);
  if (!relabel) throw notFound(`no relabelling ${command.relabelId}`);
  const subject = {
    relabel_id: command.relabelId,
    job_id: relabel.requested.job_id,
    user_id: relabel.requested.user_id,
    at: command.at,
  };
  const ended = command.type === 'MarkApplied' ? 'applied' : 'failed';
  if (relabel.status === ended) return [];
  if (relabel.status !== 'pending')
    throw conflict(`relabelling ${command.relabelId} is ${relabel.status} already`);
  return command.type === 'MarkApplied'
    ? [{ type: 'SpeakersRelabeled', data: { ...subject, artifact_ids: command.artifactIds } }]
    : [{ type: 'SpeakersRelabelFailed', data: { ...subject, error: command.error } }];
}
