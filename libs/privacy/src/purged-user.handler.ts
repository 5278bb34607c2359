import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageEnvelope, UserPurgedEvent } from '@scriptripper/contracts';
import type { Inbox } from '@scriptripper/event-store';
import type { PersonalDataCipher } from './personal-data-cipher';

/** A service's own clean-up of a purged user's read-model rows, run in the same transaction. */
export type RemoveUserReadModels = (em: EntityManager, userId: string) => Promise<void>;

/**
 * What every service that keeps personal data does on `UserPurged` (from `events:auth`):
 * destroy its data key for the user and delete the user's read-model rows, once per message
 * (through the service's Inbox), in one transaction. Call it from the service's
 * `@EventPattern(IdentityEvents.userPurged)` handler.
 */
export class PurgedUserHandler {
  constructor(
    private readonly inbox: Inbox,
    private readonly cipher: PersonalDataCipher,
    /** Names the inbox consumer, e.g. `jobs.user-purged`. */
    private readonly consumer: string,
    private readonly removeReadModels: RemoveUserReadModels = async () => undefined,
  ) {}

  async handle(envelope: MessageEnvelope<UserPurgedEvent>): Promise<void> {
    const userId = envelope.data.user_id;
    await this.inbox.handleOnce(this.consumer, envelope.id, async (em) => {
      await this.cipher.destroyKey(userId, em);
      await this.removeReadModels(em, userId);
    });
  }
}
