import { decide, evolve, type PromptCommand, type PromptState } from './prompt.aggregate';
import type { PromptEvent } from './prompt.events';

const at = '2026-11-28T10:00:00.000Z';
const request: PromptCommand = {
  type: 'RequestPrompt',
  promptId: 'p1',
  jobId: 'j1',
  userId: 'u1',
  userRole: 'user',
  sealedPrompt: 'pd1:sealed',
  at,
};
const answer: PromptCommand = {
  type: 'MarkAnswered',
  resultArtifactId: 'a1',
  jsonArtifactId: 'a2',
  provider: 'offline',
  tokens: 0,
  cost: 0,
  at,
};
const failure: PromptCommand = {
  type: 'MarkFailed',
  error: { code: 'TRANSCRIPT_MISSING', message: 'gone', retryable: false },
  at,
};

/** Given these commands were decided in turn, the state after them. */
function given(...commands: PromptCommand[]): PromptState {
  return commands.reduce<PromptState>(
    (state, command) => decide(state, command).reduce<PromptState>(evolve, state),
    null,
  );
}
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('the prompt aggregate', () => {
  it('records a request with the sealed text, pending', () => {
    const events = decide(null, request);
    expect(events).toEqual<PromptEvent[]>([
      {
        type: 'PromptRequested',
        data: { prompt_id: 'p1', job_id: 'j1', user_id: 'u1', user_role: 'user', prompt: 'pd1:sealed', at },
      },
    ]);
    expect(events.reduce<PromptState>(evolve, null)?.status).toBe('pending');
  });

  it('refuses the same prompt twice, and any outcome for a prompt never asked', () => {
    expect(codeOf(() => decide(given(request), request))).toBe('CONFLICT');
    expect(codeOf(() => decide(null, answer))).toBe('NOT_FOUND');
  });

  it('answers a pending prompt once; the same answer again changes nothing', () => {
    expect(decide(given(request), answer).map((event) => event.type)).toEqual(['PromptAnswered']);
    const answered = given(request, answer);
    expect(answered).toMatchObject({ status: 'answered', resultArtifactId: 'a1' });
    expect(decide(answered, answer)).toEqual([]);
  });

  it('ends once: another answer or a failure after the answer is a CONFLICT, an answer after a failure too', () => {
    const answered = given(request, answer);
    expect(codeOf(() => decide(answered, { ...answer, resultArtifactId: 'other' }))).toBe('CONFLICT');
    expect(codeOf(() => decide(answered, failure))).toBe('CONFLICT');
    const failed = given(request, failure);
    expect(failed?.status).toBe('failed');
    expect(decide(failed, failure)).toEqual([]);
    expect(codeOf(() => decide(failed, answer))).toBe('CONFLICT');
  });
});
