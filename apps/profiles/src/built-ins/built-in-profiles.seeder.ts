import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { serviceActor } from '@scriptripper/contracts';
import { DomainError } from '@scriptripper/contracts';
import { checkedDefinition } from '../profile/profile-definition';
import { ProfileService } from '../profile/profile.service';
import { BUILT_IN_PROFILES } from '@scriptripper/contracts';

/**
 * Publishes the built-in profiles at the service's start when their streams do not exist yet.
 * The service does it rather than the migration job because it needs the event store, the
 * projections and the outbox as every other write does. Idempotent across restarts and
 * instances: a profile that exists is left as it is (later versions are an admin's to publish),
 * and of two instances racing to create one, the loser is told CONFLICT and moves on.
 */
@Injectable()
export class BuiltInProfilesSeeder implements OnApplicationBootstrap {
  private readonly log = new Logger(BuiltInProfilesSeeder.name);

  constructor(@Inject(ProfileService) private readonly profiles: ProfileService) {}

  async onApplicationBootstrap(): Promise<void> {
    const context = {
      actor: serviceActor('profiles'),
      correlationId: randomUUID(),
      causationId: null,
      traceparent: null,
    };
    for (const builtIn of BUILT_IN_PROFILES) {
      if (await this.profiles.exists(builtIn.key)) continue;
      try {
        await this.profiles.create(
          {
            key: builtIn.key,
            name: builtIn.name,
            description: builtIn.description,
            version: checkedDefinition(builtIn.definition),
          },
          context,
        );
        this.log.log(`published the built-in profile ${builtIn.key}`);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'CONFLICT')) throw error;
      }
    }
  }
}
