import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  PROFILE_KEY_PATTERN,
  ProfilesRpc,
  type CreateProfileRequest,
  type GetProfileRequest,
  type PageRequest,
  type ProfileVersionRequest,
  type PublishProfileVersionRequest,
  type ResolveProfileRequest,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { invalid } from '@scriptripper/contracts';
import {
  answer,
  appendContextOf,
  isProfilesAdmin,
  requireProfilesAdmin,
  requireReader,
} from '../shared/rpc-context';
import { checkedDefinition } from './profile-definition';
import { ProfileService } from './profile.service';

/**
 * `rpc:profiles`. Reads are open to every signed-in actor (and services); writes need an admin
 * with `profiles:admin`. Payloads are checked here, whatever the gateway checked before.
 */
@Controller()
export class ProfilesController {
  constructor(@Inject(ProfileService) private readonly profiles: ProfileService) {}

  @MessagePattern(ProfilesRpc.list)
  list(@Payload() data: PageRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      requireReader(ctx.getEnvelope().actor);
      return this.profiles.list(data ?? {});
    });
  }

  @MessagePattern(ProfilesRpc.get)
  get(@Payload() data: GetProfileRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      requireReader(ctx.getEnvelope().actor);
      return this.profiles.get(keyOf(data));
    });
  }

  @MessagePattern(ProfilesRpc.getVersion)
  getVersion(@Payload() data: ProfileVersionRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      requireReader(ctx.getEnvelope().actor);
      return this.profiles.getVersion(keyOf(data), versionOf(data?.version));
    });
  }

  @MessagePattern(ProfilesRpc.resolve)
  resolve(@Payload() data: ResolveProfileRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      const actor = requireReader(ctx.getEnvelope().actor);
      const version = data?.version === undefined ? undefined : versionOf(data.version);
      return this.profiles.resolve(keyOf(data), version, isProfilesAdmin(actor));
    });
  }

  @MessagePattern(ProfilesRpc.create)
  create(@Payload() data: CreateProfileRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireProfilesAdmin(envelope.actor);
      const description = data?.description;
      if (description !== undefined && (typeof description !== 'string' || description.length > 2_000)) {
        throw invalid('description must be a string of at most 2000 characters');
      }
      return this.profiles.create(
        {
          key: keyOf(data),
          name: textOf(data?.name, 'name', 200),
          ...(description === undefined ? {} : { description }),
          version: checkedDefinition(data?.version),
        },
        appendContextOf(envelope),
      );
    });
  }

  @MessagePattern(ProfilesRpc.publishVersion)
  publishVersion(@Payload() data: PublishProfileVersionRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireProfilesAdmin(envelope.actor);
      const status = data?.status ?? 'active';
      if (status !== 'active' && status !== 'draft') throw invalid('status must be active or draft');
      return this.profiles.publishVersion(
        keyOf(data),
        checkedDefinition(data),
        status,
        appendContextOf(envelope),
      );
    });
  }

  @MessagePattern(ProfilesRpc.setDefault)
  setDefault(@Payload() data: ProfileVersionRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireProfilesAdmin(envelope.actor);
      return this.profiles.setDefault(keyOf(data), versionOf(data?.version), appendContextOf(envelope));
    });
  }

  @MessagePattern(ProfilesRpc.deprecateVersion)
  deprecateVersion(@Payload() data: ProfileVersionRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(() => {
      requireProfilesAdmin(envelope.actor);
      return this.profiles.deprecate(keyOf(data), versionOf(data?.version), appendContextOf(envelope));
    });
  }
}

function keyOf(data: { key?: unknown } | undefined): string {
  const key = data?.key;
  if (typeof key !== 'string' || !PROFILE_KEY_PATTERN.test(key)) {
    throw invalid('key must be 1-63 lower-case letters, digits or dashes, starting with a letter');
  }
  return key;
}

function versionOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid('version must be a positive integer');
  }
  return value;
}

function textOf(value: unknown, name: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > maxLength) {
    throw invalid(`${name} must be a non-empty string of at most ${maxLength} characters`);
  }
  return value;
}
