import type { ErrorBody } from './envelope';
import type { PageRequest } from './identity';

/**
 * Custom prompts (a user's question about a completed job, answered by the worker and attached
 * to the job as a `prompt:<id>` artifact), re-runs of a job, and relabelling a job's speakers.
 * The jobs service owns all three; the worker does the work. Prompt texts and speaker names are
 * personal data: sealed under their job's key in jobs' events, never in work messages (the
 * worker asks jobs for them).
 */

export const PROMPT_STATUSES = ['pending', 'answered', 'failed'] as const;
export type PromptStatus = (typeof PROMPT_STATUSES)[number];

/** The longest prompt accepted, in characters. */
export const MAX_PROMPT_LENGTH = 4_000;

/** RPC patterns of custom prompts, re-runs and relabelling (on `rpc:jobs`). */
export const PromptsRpc = {
  create: 'jobs.prompt.create',
  get: 'jobs.prompt.get',
  listForJob: 'jobs.prompt.list-for-job',
  /** The worker reports; authorised for the `worker` service actor only. */
  answered: 'jobs.prompt.answered',
  failed: 'jobs.prompt.failed',
} as const;

export interface CreatePromptRequest {
  readonly job_id: string;
  readonly prompt: string;
  /** The client's `Idempotency-Key`, kept per user: the same request again answers the same prompt. */
  readonly idempotency_key?: string;
  /** sha256 of the request (job id and prompt), with an idempotency key: another request is a CONFLICT. */
  readonly request_hash?: string;
}
export interface CreatePromptResponse {
  readonly prompt_id: string;
}
export interface GetPromptRequest {
  readonly prompt_id: string;
}
export interface ListJobPromptsRequest extends PageRequest {
  readonly job_id: string;
}

export interface PromptView {
  readonly id: string;
  readonly job_id: string;
  readonly prompt: string;
  readonly status: PromptStatus;
  /** The answer in Markdown (`prompt:<id>`); its JSON form is `json_artifact_id`. */
  readonly result_artifact_id: string | null;
  readonly json_artifact_id: string | null;
  /** Who answered: `offline`, or an LLM provider. */
  readonly provider: string | null;
  readonly tokens: number | null;
  /** In US dollars; 0 offline. */
  readonly cost: number;
  readonly created_at: string;
  readonly answered_at: string | null;
  readonly error: ErrorBody | null;
}

export interface PromptAnsweredRequest {
  readonly prompt_id: string;
  readonly result_artifact_id: string;
  readonly json_artifact_id: string;
  readonly provider: string;
  readonly tokens: number;
  readonly cost: number;
}
export interface PromptFailedRequest {
  readonly prompt_id: string;
  readonly error: ErrorBody;
}

/**
 * On `work:analysis` (type `AnswerPrompt`), written by jobs' outbox with the PromptRequested
 * event. No prompt text here: the worker reads it with `jobs.prompt.get`.
 */
export const ANSWER_PROMPT = 'AnswerPrompt';
export interface AnswerPromptWork {
  readonly prompt_id: string;
  readonly job_id: string;
  readonly user_id: string;
}

/** Prompt events, on `events:jobs`; `prompt` is sealed under the job's key. */
export const PromptEvents = {
  requested: 'PromptRequested',
  answered: 'PromptAnswered',
  failed: 'PromptFailed',
} as const;

/** An answer's artifact kinds: `prompt:<id>` (Markdown) and `prompt:<id>_json` (JSON). */
export const promptArtifactKinds = (promptId: string) =>
  ({ markdown: `prompt:${promptId}`, json: `prompt:${promptId}_json` }) as const;

/** RPC patterns of re-runs and relabelling (on `rpc:jobs`). */
export const JobControlRpc = {
  rerun: 'jobs.rerun',
  relabelSpeakers: 'jobs.relabel-speakers',
  /** The worker reads a relabelling's names (sealed in events, never in the work message). */
  getRelabel: 'jobs.relabel.get',
  /** The owner follows a relabelling: pending, applied, or failed with its error. */
  relabelStatus: 'jobs.relabel.status',
  relabelApplied: 'jobs.relabel.applied',
  relabelFailed: 'jobs.relabel.failed',
} as const;

export interface RerunJobRequest {
  readonly job_id: string;
  /** Another version of the same profile; the original's version when absent. */
  readonly profile_version?: number;
}
export interface RerunJobResponse {
  readonly job_id: string;
}

/** What changed between a re-run's results and its original's, per section of results.json. */
export interface ResultsChanges {
  readonly job_id: string;
  readonly rerun_of: string;
  readonly profile: { readonly key: string; readonly from_version: number; readonly to_version: number };
  readonly summary_changed: boolean;
  readonly sections: readonly SectionChanges[];
}
export interface SectionChanges {
  readonly section: string;
  readonly added: readonly unknown[];
  readonly removed: readonly unknown[];
  /** Items that are the same item (same text) with other details (owner, due, evidence...). */
  readonly changed: readonly { readonly before: unknown; readonly after: unknown }[];
  readonly unchanged: number;
}

/** `{ "Speaker 0": "Alice", "Speaker 1": "Alice" }`: two labels renamed to one name are merged. */
export type SpeakerRenames = Readonly<Record<string, string>>;
export const MAX_SPEAKER_NAME_LENGTH = 100;

export interface RelabelSpeakersRequest {
  readonly job_id: string;
  readonly rename: SpeakerRenames;
}
export interface RelabelSpeakersResponse {
  readonly job_id: string;
  readonly relabel_id: string;
}
export interface GetRelabelRequest {
  readonly job_id: string;
  readonly relabel_id: string;
}
export interface RelabelView {
  readonly id: string;
  readonly job_id: string;
  readonly rename: SpeakerRenames;
  readonly status: 'pending' | 'applied' | 'failed';
}
export type RelabelStatusRequest = GetRelabelRequest;
/** A relabelling as its owner sees it (the names stay with the request; this is its outcome). */
export interface RelabelStatusView {
  readonly id: string;
  readonly job_id: string;
  readonly status: 'pending' | 'applied' | 'failed';
  readonly error: ErrorBody | null;
}
export interface RelabelAppliedRequest {
  readonly job_id: string;
  readonly relabel_id: string;
  readonly artifact_ids: readonly string[];
}
export interface RelabelFailedRequest {
  readonly job_id: string;
  readonly relabel_id: string;
  readonly error: ErrorBody;
}

/** On `work:analysis` (type `RelabelSpeakers`): re-render a job's outputs with new speaker names. */
export const RELABEL_SPEAKERS = 'RelabelSpeakers';
export interface RelabelSpeakersWork {
  readonly relabel_id: string;
  readonly job_id: string;
  readonly user_id: string;
  /** The job's pinned profile version, whose template re-renders results.md. */
  readonly profile: { readonly key: string; readonly version: number };
}

/** Relabel events, on `events:jobs`; `rename` is sealed under the job's key. */
export const RelabelEvents = {
  requested: 'SpeakersRelabelRequested',
  applied: 'SpeakersRelabeled',
  failed: 'SpeakersRelabelFailed',
} as const;

/** The worker replaces an artifact's blob (a relabelled output); the old blob is left to retention. */
export const ARTIFACTS_REVISE = 'artifacts.revise';
export const ARTIFACT_REVISED = 'ArtifactRevised';
/** Same fields as a registration: the (job, kind) must be registered already; its id stays. */
export interface ReviseArtifactRequest {
  readonly job_id: string;
  readonly user_id: string;
  readonly kind: string;
  readonly blob: { readonly uri: string; readonly sha256: string; readonly size: number };
  readonly content_type: string;
  readonly filename: string;
}
