import type { ProfileVersionDefinition } from '../profiles';

/** A profile the service publishes at its first start, as version 1. */
export interface BuiltInProfile {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly definition: ProfileVersionDefinition;
}
