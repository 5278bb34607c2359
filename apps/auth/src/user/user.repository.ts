import { Inject, Injectable } from '@nestjs/common';
import { Streams } from '@scriptripper/contracts';
import {
  ConcurrencyConflictError,
  EventStore,
  type AppendContext,
  type RecordedEvent,
} from '@scriptripper/event-store';
import { PersonalDataCipher } from '@scriptripper/privacy';
import { CredentialMarkersWriter } from '../credential/credential-markers.writer';
import { decide, evolve, initialUserState, type UserCommand, type UserState } from './user.aggregate';
import { USER_STREAM_TYPE, userStreamId, type UserEvent } from './user.events';

const ATTEMPTS = 3;

/**
 * Loads a user from its stream, decides a command and appends the outcome, retrying when
 * another request appended first (the command is decided again on the newer state).
 * UserPurged goes out on `events:auth` and destroys the user's data key in the same transaction.
 * Once committed, ended sessions, role changes and purges are marked in Redis for the gateway.
 */
@Injectable()
export class UserRepository {
  constructor(
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(PersonalDataCipher) private readonly cipher: PersonalDataCipher,
    @Inject(CredentialMarkersWriter) private readonly markers: CredentialMarkersWriter,
  ) {}

  async load(userId: string): Promise<{ state: UserState; version: number }> {
    return this.eventStore.aggregateStream<UserState>(
      userStreamId(userId),
      (state, recorded) => evolve(state, { type: recorded.type, data: recorded.data } as UserEvent),
      initialUserState,
    );
  }

  async execute(
    userId: string,
    context: AppendContext,
    command: (state: UserState) => UserCommand | Promise<UserCommand>,
  ): Promise<{ events: UserEvent[]; state: UserState; recorded: RecordedEvent[] }> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(userId);
      const events = decide(state, await command(state));
      if (events.length === 0) return { events, state, recorded: [] };
      try {
        const recorded = await this.append(userId, version, events, context);
        await this.markers.recorded(userId, events);
        return { events, state: events.reduce(evolve, state), recorded };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private append(userId: string, version: number, events: UserEvent[], context: AppendContext) {
    const purgedAt = events.findIndex((event) => event.type === 'UserPurged');
    return this.eventStore.append({
      streamId: userStreamId(userId),
      streamType: USER_STREAM_TYPE,
      expectedVersion: version === 0 ? 'no-stream' : version,
      events,
      context,
      ...(purgedAt < 0
        ? {}
        : {
            outbox: [{ destination: Streams.events('auth'), event: purgedAt }],
            project: async (em) => {
              await this.cipher.destroyKey(userId, em);
            },
          }),
    });
  }
}
