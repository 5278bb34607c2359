import { Inject, Injectable } from '@nestjs/common';
import { LifecycleConsumers, type MessageEnvelope, type UserPurgedEvent } from '@scriptripper/contracts';
import { Inbox } from '@scriptripper/event-store';
import { PersonalDataCipher, PurgedUserHandler } from '@scriptripper/privacy';
import { JobRecord } from '../job/job.entity';
import { JobDataErasure } from './job-data-erasure';
import { destroyJobKeys } from './job-personal-data';

/**
 * UserPurged (from `events:auth`), once through the inbox: the user's data key in `jobs.user_keys`
 * and the data keys of each of their jobs are destroyed (what jobs' events sealed with them can no
 * longer be read) and every slice deletes
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
    this.handler = new PurgedUserHandler(
      inbox,
      cipher,
      LifecycleConsumers.jobsUserPurged,
      async (em, userId) => {
        const jobs = await em.find(JobRecord, { userId }, { fields: ['id'] });
        await destroyJobKeys(
          cipher,
          em,
          jobs.map((job) => job.id),
        );
        await erasure.eraseUser(em, userId);
      },
    );
  }

  handle(envelope: MessageEnvelope<UserPurgedEvent>): Promise<void> {
    return this.handler.handle(envelope);
  }
}
