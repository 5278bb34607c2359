import type { ErrorBody } from '@scriptripper/contracts';

/**
 * A user asked a question about a completed job; `prompt` is sealed under the job's own data key
 * (as its file name is), so deleting the job, or purging its owner, shreds it in the log.
 */
export interface PromptRequestedData {
  readonly prompt_id: string;
  readonly job_id: string;
  readonly user_id: string;
  /** The owner's role when asked: the work message's actor. */
  readonly user_role: 'user' | 'admin';
  /** `pd1:...`: the question, sealed under the job's key (PersonalDataCipher keyed by the job id). */
  readonly prompt: string;
  readonly at: string;
}
export interface PromptAnsweredData {
  readonly prompt_id: string;
  readonly job_id: string;
  readonly user_id: string;
  readonly result_artifact_id: string;
  readonly json_artifact_id: string;
  readonly provider: string;
  readonly tokens: number;
  readonly cost: number;
  readonly at: string;
}
export interface PromptFailedData {
  readonly prompt_id: string;
  readonly job_id: string;
  readonly user_id: string;
  readonly error: ErrorBody;
  readonly at: string;
}

export interface PromptEventMap {
  PromptRequested: PromptRequestedData;
  PromptAnswered: PromptAnsweredData;
  PromptFailed: PromptFailedData;
}
export type PromptEventType = keyof PromptEventMap;
export type PromptEvent = {
  [K in PromptEventType]: { readonly type: K; readonly data: PromptEventMap[K] };
}[PromptEventType];

export const PROMPT_EVENT_TYPES: readonly PromptEventType[] = [
  'PromptRequested',
  'PromptAnswered',
  'PromptFailed',
];

export const promptStreamId = (promptId: string) => `prompt-${promptId}`;
export const PROMPT_STREAM_TYPE = 'prompt';
