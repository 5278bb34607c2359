import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  PROFILE_KEY_PATTERN,
  type CreateProfileRequest,
  type Page,
  type PageRequest,
  type ProfileSummary,
  type ProfileVersionDefinition,
  type ProfileVersionView,
  type ProfileView,
  type ResolvedProfile,
} from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { conflict, invalid, notFound } from '@scriptripper/contracts';
import { decodeCursor, encodeCursor, pageLimit } from '@scriptripper/service-runtime';
import { ProfileRepository } from './profile.repository';
import { ProfileVersion } from './profile-version.entity';
import { Profile } from './profile.entity';

/** Profile commands (through the aggregate) and queries (on the read models). Callers are authorised already. */
@Injectable()
export class ProfileService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(ProfileRepository) private readonly profiles: ProfileRepository,
  ) {}

  /** `request.version` must have passed `checkedDefinition`. */
  async create(request: CreateProfileRequest, context: AppendContext): Promise<ProfileView> {
    await this.profiles.execute(request.key, context, {
      type: 'CreateProfile',
      profileId: randomUUID(),
      key: request.key,
      name: request.name,
      description: request.description ?? null,
      definition: request.version,
    });
    return this.get(request.key);
  }

  async publishVersion(
    key: string,
    definition: ProfileVersionDefinition,
    status: 'draft' | 'active',
    context: AppendContext,
  ): Promise<ProfileVersionView> {
    const [published] = await this.profiles.execute(key, context, {
      type: 'PublishVersion',
      definition,
      status,
    });
    if (published?.type !== 'ProfileVersionPublished') throw new Error('publishing answered no version');
    return this.getVersion(key, published.data.version);
  }

  /**
   * Publishes a built-in profile's newer version unless it is published already (see the
   * `PublishBuiltInVersion` command); `definition` and `earlier` must have passed `checkedDefinition`.
   * True when it was published now.
   */
  async publishBuiltInVersion(
    key: string,
    definition: ProfileVersionDefinition,
    earlier: readonly ProfileVersionDefinition[],
    context: AppendContext,
  ): Promise<boolean> {
    const events = await this.profiles.execute(key, context, {
      type: 'PublishBuiltInVersion',
      definition,
      earlier,
    });
    return events.length > 0;
  }

  async setDefault(key: string, version: number, context: AppendContext): Promise<ProfileView> {
    await this.profiles.execute(key, context, { type: 'SetDefaultVersion', version });
    return this.get(key);
  }

  async deprecate(key: string, version: number, context: AppendContext): Promise<ProfileView> {
    await this.profiles.execute(key, context, { type: 'DeprecateVersion', version });
    return this.get(key);
  }

  /** Whether a profile with this key exists (its stream, not the read model: the record decides). */
  async exists(key: string): Promise<boolean> {
    return (await this.profiles.load(key)).version > 0;
  }

  async list(request: PageRequest): Promise<Page<ProfileSummary>> {
    const limit = pageLimit(request);
    const [after] = decodeCursor(request.cursor, 1) ?? [];
    const found = await this.em.fork().find(Profile, after === undefined ? {} : { key: { $gt: after } }, {
      orderBy: { key: 'asc' },
      limit: limit + 1,
    });
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(summaryOf),
      next_cursor: found.length > limit && last ? encodeCursor([last.key]) : null,
    };
  }

  async get(key: string): Promise<ProfileView> {
    const em = this.em.fork();
    const profile = await this.findProfile(em, key);
    const versions = await em.find(ProfileVersion, { profile: profile.id }, { orderBy: { version: 'asc' } });
    const defaultVersion = versions.find((candidate) => candidate.version === profile.defaultVersion);
    if (!defaultVersion) throw new Error(`profile ${key} has no default version row`);
    return {
      ...summaryOf(profile),
      versions: versions.map((version) => ({
        version: version.version,
        status: version.status,
        created_at: version.createdAt.toISOString(),
      })),
      default: versionViewOf(profile, defaultVersion),
    };
  }

  async getVersion(key: string, version: number): Promise<ProfileVersionView> {
    const em = this.em.fork();
    const profile = await this.findProfile(em, key);
    return versionViewOf(profile, await this.findVersion(em, profile, version));
  }

  /**
   * The version a job pins: the default, or the one asked for. Only active versions run; a
   * draft runs for profile admins, so they can try it before making it the default.
   */
  async resolve(key: string, version: number | undefined, mayUseDrafts: boolean): Promise<ResolvedProfile> {
    const em = this.em.fork();
    const profile = await this.findProfile(em, key);
    const found = await this.findVersion(em, profile, version ?? profile.defaultVersion);
    if (found.status === 'deprecated') throw conflict(`version ${found.version} of ${key} is deprecated`);
    if (found.status === 'draft' && !mayUseDrafts) throw notFound(`no version ${found.version} of ${key}`);
    return {
      profile_id: profile.id,
      key: profile.key,
      version: found.version,
      prompts: found.prompts,
      parameters: found.parameters,
      output_schema: found.outputSchema,
      template: found.template,
    };
  }

  private async findProfile(em: EntityManager, key: string): Promise<Profile> {
    if (!PROFILE_KEY_PATTERN.test(key)) throw invalid('key must be a profile key (a-z, 0-9, -)');
    const profile = await em.findOne(Profile, { key });
    if (!profile) throw notFound(`no profile ${key}`);
    return profile;
  }

  private async findVersion(em: EntityManager, profile: Profile, version: number): Promise<ProfileVersion> {
    const found = await em.findOne(ProfileVersion, { profile: profile.id, version });
    if (!found) throw notFound(`no version ${version} of ${profile.key}`);
    return found;
  }
}

function summaryOf(profile: Profile): ProfileSummary {
  return {
    id: profile.id,
    key: profile.key,
    name: profile.name,
    description: profile.description,
    default_version: profile.defaultVersion,
    created_at: profile.createdAt.toISOString(),
    updated_at: profile.updatedAt.toISOString(),
  };
}

function versionViewOf(profile: Profile, version: ProfileVersion): ProfileVersionView {
  return {
    key: profile.key,
    version: version.version,
    status: version.status,
    is_default: profile.defaultVersion === version.version,
    prompts: version.prompts,
    parameters: version.parameters,
    output_schema: version.outputSchema,
    template: version.template,
    created_at: version.createdAt.toISOString(),
  };
}
