import { conflict, notFound, type ErrorBody, type PromptStatus } from '@scriptripper/contracts';
import type { PromptEvent } from './prompt.events';

/**
 * A custom prompt as its events tell it. Pure: `evolve` folds events, `decide` answers a command.
 * A prompt ends once: answered or failed. The same answer reported again (a redelivered work
 * message) changes nothing; another outcome after the end is a CONFLICT.
 */
export interface Prompt {
  readonly promptId: string;
  readonly jobId: string;
  readonly userId: string;
  readonly userRole: 'user' | 'admin';
  readonly status: PromptStatus;
  readonly resultArtifactId: string | null;
}
export type PromptState = Prompt | null;

export type PromptCommand =
  | {
      readonly type: 'RequestPrompt';
      readonly promptId: string;
      readonly jobId: string;
      readonly userId: string;
      readonly userRole: 'user' | 'admin';
      /** Sealed already: the aggregate never sees the plaintext. */
      readonly sealedPrompt: string;
      readonly at: string;
    }
  | {
      readonly type: 'MarkAnswered';
      readonly resultArtifactId: string;
      readonly jsonArtifactId: string;
      readonly provider: string;
      readonly tokens: number;
      readonly cost: number;
      readonly at: string;
    }
  | { readonly type: 'MarkFailed'; readonly error: ErrorBody; readonly at: string };

export function evolve(state: PromptState, event: PromptEvent): PromptState {
  switch (event.type) {
    case 'PromptRequested':
      return {
        promptId: event.data.prompt_id,
        jobId: event.data.job_id,
        userId: event.data.user_id,
        userRole: event.data.user_role,
        status: 'pending',
        resultArtifactId: null,
      };
    case 'PromptAnswered':
      return state && { ...state, status: 'answered', resultArtifactId: event.data.result_artifact_id };
    case 'PromptFailed':
      return state && { ...state, status: 'failed' };
  }
}

export function decide(state: PromptState, command: PromptCommand): PromptEvent[] {
  if (command.type === 'RequestPrompt') {
    if (state) throw conflict(`prompt ${command.promptId} exists already`);
    return [
      {
        type: 'PromptRequested',
        data: {
          prompt_id: command.promptId,
          job_id: command.jobId,
          user_id: command.userId,
          user_role: command.userRole,
          prompt: command.sealedPrompt,
          at: command.at,
        },
      },
    ];
  }
  if (!state) throw notFound('no such prompt');
  const subject = { prompt_id: state.promptId, job_id: state.jobId, user_id: state.userId, at: command.at };
  if (command.type === 'MarkAnswered') {
    if (state.status === 'answered' && state.resultArtifactId === command.resultArtifactId) return [];
    if (state.status !== 'pending') throw conflict(`prompt ${state.promptId} is ${state.status} already`);
    return [
      {
        type: 'PromptAnswered',
        data: {
          ...subject,
          result_artifact_id: command.resultArtifactId,
          json_artifact_id: command.jsonArtifactId,
          provider: command.provider,
          tokens: command.tokens,
          cost: command.cost,
        },
      },
    ];
  }
  if (state.status === 'failed') return [];
  if (state.status !== 'pending') throw conflict(`prompt ${state.promptId} is ${state.status} already`);
  return [{ type: 'PromptFailed', data: { ...subject, error: command.error } }];
}
