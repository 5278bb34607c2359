import { Inject, Injectable } from '@nestjs/common';
import { LifecycleConsumers, type MessageEnvelope, type UserPurgedEvent } from '@scriptripper/contracts';
import { Inbox } from '@scriptripper/event-store';
import { PersonalDataCipher, PurgedUserHandler } from '@scriptripper/privacy';
import { JobDataErasure } from './job-data-erasure';

/**
 * UserPurged (from `events:auth`), once through the inbox: the user's data key in `jobs.user_keys`
 * is destroyed (what jobs' events sealed with it can no longer be read) and every slice deletes
 * the user's rows, in one transaction. Artifacts deletes their artifacts and blobs on its own.
 */
@Injectable()
export class JobsUserPurgeHandler {
  private readonly handler: PurgedUserHandler;

  constructor(
    @Inject(Inbox) inbox: Inbox,
    @Inject(PersonalDataCipher) cipher: PersonalDataCipher,
    @Inject(JobDataErasure) erasure: JobDataErasure,
  ) {
    this.handler = new PurgedUserHandler(inbox, cipher, LifecycleConsumers.jobsUserPurged, (em, userId) =>
      erasure.eraseUser(em, userId),
    );
  }

  handle(envelope: MessageEnvelope<UserPurgedEvent>): Promise<void> {
    return this.handler.handle(envelope);
  }
}
