import { Inject, Injectable } from '@nestjs/common';
import {
  LifecycleConsumers,
  serviceActor,
  type MessageEnvelope,
  type UserPurgedEvent,
} from '@scriptripper/contracts';
import { EventStore, Inbox } from '@scriptripper/event-store';
import { PersonalDataCipher, PurgedUserHandler } from '@scriptripper/privacy';
import { appendContextOf } from '@scriptripper/service-runtime';
import { JobRecord } from '../job/job.entity';
import {
  USER_DATA_ERASED,
  USER_DATA_STREAM_TYPE,
  userDataStreamId,
  type UserDataErasedData,
} from './erasure.projection';
import { JobDataErasure } from './job-data-erasure';
import { destroyJobKeys } from './job-personal-data';

/**
 * UserPurged (from `events:auth`), once through the inbox, in one transaction: the user's data
 * key in `jobs.user_keys` and the data keys of each of their jobs are destroyed (what jobs' events
 * sealed with them can no longer be read), UserDataErased is appended on the user's stream in jobs'
 * own event table (its projection deletes the user's read-model rows, and a rebuild replays it),
 * and every slice deletes the rest (idempotency keys). Artifacts deletes their artifacts and
 * blobs on its own.
 */
@Injectable()
export class JobsUserPurgeHandler {
  constructor(
    @Inject(Inbox) private readonly inbox: Inbox,
    @Inject(PersonalDataCipher) private readonly cipher: PersonalDataCipher,
    @Inject(JobDataErasure) private readonly erasure: JobDataErasure,
    @Inject(EventStore) private readonly eventStore: EventStore,
  ) {}

  handle(envelope: MessageEnvelope<UserPurgedEvent>): Promise<void> {
    const context = { ...appendContextOf(envelope), actor: serviceActor('jobs') };
    const handler = new PurgedUserHandler(
      this.inbox,
      this.cipher,
      LifecycleConsumers.jobsUserPurged,
      async (em, userId) => {
        const jobs = await em.find(JobRecord, { userId }, { fields: ['id'] });
        await destroyJobKeys(
          this.cipher,
          em,
          jobs.map((job) => job.id),
        );
        const erased: UserDataErasedData = { user_id: userId, at: new Date().toISOString() };
        // The global EventStore joins the inbox's transaction (MikroORM's transaction context).
        await this.eventStore.append({
          streamId: userDataStreamId(userId),
          streamType: USER_DATA_STREAM_TYPE,
          expectedVersion: 'any',
          events: [{ type: USER_DATA_ERASED, data: erased }],
          context,
        });
        await this.erasure.eraseUser(em, userId);
      },
    );
    return handler.handle(envelope);
  }
}
