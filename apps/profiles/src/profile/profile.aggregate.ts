import { createHash } from 'node:crypto';
import type { ProfileVersionDefinition, ProfileVersionStatus } from '@scriptripper/contracts';
import { conflict, notFound } from '@scriptripper/contracts';
import { canonicalJson } from '@scriptripper/event-store';
import type { ProfileEvent, ProfileEventMap } from './profile.events';

/** A profile as its own events tell it. Pure: `evolve` folds events, `decide` answers a command with new events. */
export interface ProfileState {
  readonly profileId: string | null;
  readonly defaultVersion: number | null;
  readonly versions: ReadonlyMap<number, ProfileVersionStatus>;
  /** Each version's `definitionFingerprint`, so a built-in version is published once. */
  readonly fingerprints: ReadonlyMap<number, string>;
}

export const initialProfileState: ProfileState = {
  profileId: null,
  defaultVersion: null,
  versions: new Map(),
  fingerprints: new Map(),
};

/** Definitions arrive already checked (valid JSON Schema, parsable template): see profile-definition.ts. */
export type ProfileCommand =
  | {
      readonly type: 'CreateProfile';
      readonly profileId: string;
      readonly key: string;
      readonly name: string;
      readonly description: string | null;
      readonly definition: ProfileVersionDefinition;
    }
  | {
      readonly type: 'PublishVersion';
      readonly definition: ProfileVersionDefinition;
      readonly status: 'draft' | 'active';
    }
  | {
      /**
       * A built-in profile's newer version: published (active) unless a version with the same
       * definition exists, and made the default when the default is one of the built-in's
       * `earlier` versions (an admin's own choice of default is left alone).
       */
      readonly type: 'PublishBuiltInVersion';
      readonly definition: ProfileVersionDefinition;
      readonly earlier: readonly ProfileVersionDefinition[];
    }
  | { readonly type: 'SetDefaultVersion'; readonly version: number }
  | { readonly type: 'DeprecateVersion'; readonly version: number };

export function evolve(state: ProfileState, event: ProfileEvent): ProfileState {
  switch (event.type) {
    case 'ProfileCreated':
      return { ...state, profileId: event.data.profile_id };
    case 'ProfileVersionPublished':
      return {
        ...state,
        versions: withEntry(state.versions, event.data.version, event.data.status),
        fingerprints: withEntry(state.fingerprints, event.data.version, definitionFingerprint(event.data)),
      };
    case 'DefaultVersionSet':
      // A draft made the default is published by it.
      return {
        ...state,
        defaultVersion: event.data.version,
        versions: withEntry(state.versions, event.data.version, 'active'),
      };
    case 'ProfileVersionDeprecated':
      return { ...state, versions: withEntry(state.versions, event.data.version, 'deprecated') };
  }
}

export function decide(state: ProfileState, command: ProfileCommand): ProfileEvent[] {
  if (command.type === 'CreateProfile') {
    if (state.profileId !== null) throw conflict(`a profile with the key "${command.key}" exists already`);
    const profileId = command.profileId;
    return [
      event('ProfileCreated', {
        profile_id: profileId,
        key: command.key,
        name: command.name,
        description: command.description,
      }),
      event('ProfileVersionPublished', {
        profile_id: profileId,
        version: 1,
        status: 'active',
        ...command.definition,
      }),
      event('DefaultVersionSet', { profile_id: profileId, version: 1, previous_version: null }),
    ];
  }
  const profileId = state.profileId;
  if (profileId === null) throw notFound('no such profile');
  switch (command.type) {
    case 'PublishVersion':
      return [
        event('ProfileVersionPublished', {
          profile_id: profileId,
          version: state.versions.size + 1,
          status: command.status,
          ...command.definition,
        }),
      ];
    case 'PublishBuiltInVersion': {
      const fingerprint = definitionFingerprint(command.definition);
      if ([...state.fingerprints.values()].includes(fingerprint)) return [];
      const version = state.versions.size + 1;
      const published = event('ProfileVersionPublished', {
        profile_id: profileId,
        version,
        status: 'active',
        ...command.definition,
      });
      const earlier = new Set(command.earlier.map(definitionFingerprint));
      const current =
        state.defaultVersion === null ? undefined : state.fingerprints.get(state.defaultVersion);
      const replacesDefault =
        state.defaultVersion === null || (current !== undefined && earlier.has(current));
      if (!replacesDefault) return [published];
      return [
        published,
        event('DefaultVersionSet', {
          profile_id: profileId,
          version,
          previous_version: state.defaultVersion,
        }),
      ];
    }
    case 'SetDefaultVersion': {
      const status = statusOf(state, command.version);
      if (status === 'deprecated') throw conflict(`version ${command.version} is deprecated`);
      if (state.defaultVersion === command.version) return [];
      return [
        event('DefaultVersionSet', {
          profile_id: profileId,
          version: command.version,
          previous_version: state.defaultVersion,
        }),
      ];
    }
    case 'DeprecateVersion': {
      const status = statusOf(state, command.version);
      if (status === 'deprecated') return [];
      const deprecated = event('ProfileVersionDeprecated', {
        profile_id: profileId,
        version: command.version,
      });
      if (state.defaultVersion !== command.version) return [deprecated];
      const successor = newestActiveVersionBesides(state, command.version);
      if (successor === null) {
        throw conflict(
          `version ${command.version} is the default and no other version is active: ` +
            'publish or activate another version first',
        );
      }
      return [
        event('DefaultVersionSet', {
          profile_id: profileId,
          version: successor,
          previous_version: command.version,
        }),
        deprecated,
      ];
    }
  }
}

/**
 * What a version's definition says, independent of key order (Postgres' jsonb reorders keys):
 * the sha256 of its canonical JSON.
 */
export function definitionFingerprint(definition: ProfileVersionDefinition): string {
  const { prompts, parameters, output_schema, template } = definition;
  return createHash('sha256')
    .update(canonicalJson({ prompts, parameters, output_schema, template }))
    .digest('hex');
}

function statusOf(state: ProfileState, version: number): ProfileVersionStatus {
  const status = state.versions.get(version);
  if (!status) throw notFound(`no version ${version} of this profile`);
  return status;
}

function newestActiveVersionBesides(state: ProfileState, version: number): number | null {
  const active = [...state.versions]
    .filter(([candidate, status]) => candidate !== version && status === 'active')
    .map(([candidate]) => candidate);
  return active.length === 0 ? null : Math.max(...active);
}

function event<K extends keyof ProfileEventMap>(type: K, data: ProfileEventMap[K]): ProfileEvent {
  return { type, data } as ProfileEvent;
}

function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  return new Map(map).set(key, value);
}
