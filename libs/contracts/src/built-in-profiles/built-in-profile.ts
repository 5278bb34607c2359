import type { ProfileVersionDefinition } from '../profiles';

/**
 * A profile the profiles service publishes at its start. Published versions never change, so a
 * built-in that needs another template or schema gets a new entry in `versions`: the service
 * publishes the ones a database lacks, in order, and makes the newest the default.
 */
export interface BuiltInProfile {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** Every version, oldest first: `versions[0]` is version 1. */
  readonly versions: readonly ProfileVersionDefinition[];
  /** The newest of `versions`: what new jobs run by default. */
  readonly definition: ProfileVersionDefinition;
}

/** A built-in profile from its versions, oldest first. */
export function builtInProfile(
  profile: Omit<BuiltInProfile, 'definition' | 'versions'>,
  versions: readonly [ProfileVersionDefinition, ...ProfileVersionDefinition[]],
): BuiltInProfile {
  return { ...profile, versions, definition: versions[versions.length - 1] ?? versions[0] };
}
