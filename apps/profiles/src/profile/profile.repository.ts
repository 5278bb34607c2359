import { Inject, Injectable } from '@nestjs/common';
import { PROFILE_EVENTS_STREAM } from '@scriptripper/contracts';
import { ConcurrencyConflictError, EventStore, type AppendContext } from '@scriptripper/event-store';
import { conflict } from '@scriptripper/contracts';
import {
  decide,
  evolve,
  initialProfileState,
  type ProfileCommand,
  type ProfileState,
} from './profile.aggregate';
import { PROFILE_STREAM_TYPE, profileStreamId, type ProfileEvent } from './profile.events';

const ATTEMPTS = 3;

/**
 * Loads a profile from its stream, decides a command and appends the outcome with every event
 * bound for `events:profiles`, deciding again on the newer state when another request appended
 * first. Two creates of one key race on the empty stream: the loser is told CONFLICT.
 */
@Injectable()
export class ProfileRepository {
  constructor(@Inject(EventStore) private readonly eventStore: EventStore) {}

  load(key: string): Promise<{ state: ProfileState; version: number }> {
    return this.eventStore.aggregateStream<ProfileState>(
      profileStreamId(key),
      (state, recorded) => evolve(state, { type: recorded.type, data: recorded.data } as ProfileEvent),
      initialProfileState,
    );
  }

  async execute(key: string, context: AppendContext, command: ProfileCommand): Promise<ProfileEvent[]> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(key);
      const events = decide(state, command);
      if (events.length === 0) return events;
      try {
        await this.eventStore.append({
          streamId: profileStreamId(key),
          streamType: PROFILE_STREAM_TYPE,
          expectedVersion: version === 0 ? 'no-stream' : version,
          events,
          context,
          outbox: events.map((_event, index) => ({ destination: PROFILE_EVENTS_STREAM, event: index })),
        });
        return events;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        if (command.type === 'CreateProfile')
          throw conflict(`a profile with the key "${key}" exists already`);
        if (attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
