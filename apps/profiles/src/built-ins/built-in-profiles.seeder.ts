import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { serviceActor } from '@scriptripper/contracts';
import { DomainError } from '@scriptripper/contracts';
import { checkedDefinition } from '../profile/profile-definition';
import { ProfileService } from '../profile/profile.service';
import {
  BUILT_IN_PROFILES,
  type BuiltInProfile,
  type ProfileVersionDefinition,
} from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';

/**
 * Publishes the built-in profiles at the service's start when their streams do not exist yet,
 * and a built-in's newer versions when the database lacks them (published versions never
 * change: a new template or schema is a new version, made the default unless an admin chose
 * another default). The service does it rather than the migration job because it needs the
 * event store, the projections and the outbox as every other write does. Idempotent across
 * restarts and instances: a version is recognised by its content, and of two instances racing,
 * the loser is told CONFLICT (create) or finds the version published when it decides again.
 */
@Injectable()
export class BuiltInProfilesSeeder implements OnApplicationBootstrap {
  private readonly log = new Logger(BuiltInProfilesSeeder.name);

  constructor(@Inject(ProfileService) private readonly profiles: ProfileService) {}

  onApplicationBootstrap(): Promise<void> {
    return this.publish(BUILT_IN_PROFILES);
  }

  /** Publishes what the database lacks of `builtIns`: each profile, then each newer version in order. */
  async publish(builtIns: readonly BuiltInProfile[]): Promise<void> {
    const context = {
      actor: serviceActor('profiles'),
      correlationId: randomUUID(),
      causationId: null,
      traceparent: null,
    };
    for (const builtIn of builtIns) {
      const [first, ...later] = builtIn.versions.map(checkedDefinition);
      if (!first) continue;
      if (!(await this.profiles.exists(builtIn.key))) await this.create(builtIn, first, context);
      for (const [index, definition] of later.entries()) {
        const earlier = [first, ...later.slice(0, index)];
        if (await this.profiles.publishBuiltInVersion(builtIn.key, definition, earlier, context)) {
          this.log.log(`published version ${index + 2} of the built-in profile ${builtIn.key}`);
        }
      }
    }
  }

  private async create(
    builtIn: BuiltInProfile,
    first: ProfileVersionDefinition,
    context: AppendContext,
  ): Promise<void> {
    try {
      await this.profiles.create(
        { key: builtIn.key, name: builtIn.name, description: builtIn.description, version: first },
        context,
      );
      this.log.log(`published the built-in profile ${builtIn.key}`);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'CONFLICT')) throw error;
    }
  }
}
