import type { EntityManager } from '@mikro-orm/postgresql';
import type { Projection, RecordedEvent } from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { CustomPrompt } from './prompt.entity';
import { PROMPT_EVENT_TYPES, type PromptEvent } from './prompt.events';

/** Shown instead of a prompt whose job's key is destroyed (a delete or purge raced a rebuild). */
const SHREDDED = '(erased)';

/**
 * The `custom_prompts` read model of the prompt streams. The question is opened with its job's
 * key inside the append's transaction, so a rebuild reads what the events hold.
 */
export function promptProjection(keyEncryptionKey: Buffer): Projection {
  return {
    name: 'custom_prompts',
    handles: PROMPT_EVENT_TYPES,
    apply: (em, recorded) => applyPromptEvent(em, recorded, new PersonalDataCipher(em, keyEncryptionKey)),
  };
}

async function applyPromptEvent(
  em: EntityManager,
  recorded: RecordedEvent,
  cipher: PersonalDataCipher,
): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as PromptEvent;
  switch (event.type) {
    case 'PromptRequested': {
      const data = event.data;
      await em.insert(CustomPrompt, {
        id: data.prompt_id,
        jobId: data.job_id,
        userId: data.user_id,
        prompt: (await cipher.decrypt(data.job_id, data.prompt, em)) ?? SHREDDED,
        status: 'pending',
        resultArtifactId: null,
        jsonArtifactId: null,
        provider: null,
        tokens: null,
        cost: 0,
        error: null,
        createdAt: recorded.recordedAt,
        answeredAt: null,
      });
      return;
    }
    case 'PromptAnswered':
      await em.nativeUpdate(
        CustomPrompt,
        { id: event.data.prompt_id },
        {
          status: 'answered',
          resultArtifactId: event.data.result_artifact_id,
          jsonArtifactId: event.data.json_artifact_id,
          provider: event.data.provider,
          tokens: event.data.tokens,
          cost: event.data.cost,
          answeredAt: recorded.recordedAt,
        },
      );
      return;
    case 'PromptFailed':
      await em.nativeUpdate(
        CustomPrompt,
        { id: event.data.prompt_id },
        { status: 'failed', error: event.data.error, answeredAt: recorded.recordedAt },
      );
      return;
  }
}
