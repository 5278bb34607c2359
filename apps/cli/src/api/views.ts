import type { ErrorBody } from '@scriptripper/contracts';

/**
 * Answers of routes whose contracts were not in `@scriptripper/contracts` when the CLI was
 * written (plan 5's agreed shapes); only the fields the CLI reads.
 */

export type PromptStatus = 'pending' | 'answered' | 'failed';

/** `GET /prompts/{id}`, and the items of `GET /jobs/{id}/prompts`. */
export interface PromptView {
  readonly id: string;
  readonly job_id: string;
  readonly prompt: string;
  readonly status: PromptStatus;
  readonly result_artifact_id: string | null;
  readonly created_at: string;
  readonly answered_at: string | null;
  readonly error: ErrorBody | null;
}

/** `POST /prompts` -> 202. */
export interface CreatedPrompt {
  readonly prompt_id: string;
}

/** `POST /jobs/{id}/rerun` -> 202: the new job. */
export interface RerunAnswer {
  readonly job_id: string;
}
