import { Streams } from './streams';

/**
 * Profiles contracts: what the gateway and the jobs service say to the profiles service over
 * `rpc:profiles`, and the events it publishes on `events:profiles`. A profile has a key (a slug)
 * and immutable versions 1, 2, ...; each version is a prompt set, its parameters, an output JSON
 * Schema and a Markdown template. DTOs are snake_case, as the HTTP API is.
 */

/** RPC patterns of the profiles service (on `rpc:profiles`). Writes need an admin with `profiles:admin`. */
export const ProfilesRpc = {
  list: 'profiles.list',
  get: 'profiles.get',
  getVersion: 'profiles.get-version',
  create: 'profiles.create',
  publishVersion: 'profiles.publish-version',
  setDefault: 'profiles.set-default',
  deprecateVersion: 'profiles.deprecate-version',
  /** The version a job pins: the default one, or the one asked for (only active ones run). */
  resolve: 'profiles.resolve',
} as const;

/** Lower-case letters, digits and dashes, starting with a letter: `meeting`, `sales-call`. */
export const PROFILE_KEY_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

export const PROFILE_VERSION_STATUSES = ['draft', 'active', 'deprecated'] as const;
export type ProfileVersionStatus = (typeof PROFILE_VERSION_STATUSES)[number];

/** What a version holds; immutable once published. */
export interface ProfileVersionDefinition {
  /** Named prompts (`summary`, `tasks`, ...) for the providers. */
  readonly prompts: Readonly<Record<string, unknown>>;
  /** Tunables of the analysis (counts, thresholds, ...). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** A JSON Schema the analysis output must satisfy; checked to be a valid schema when published. */
  readonly output_schema: Readonly<Record<string, unknown>>;
  /** Markdown with Mustache tags (`{{name}}`, `{{#items}}...{{/items}}`); no partials. */
  readonly template: string;
}

export interface CreateProfileRequest {
  readonly key: string;
  readonly name: string;
  readonly description?: string;
  /** Becomes version 1, active and the default. */
  readonly version: ProfileVersionDefinition;
}

export interface PublishProfileVersionRequest extends ProfileVersionDefinition {
  readonly key: string;
  /** `active` (default) runs at once; a `draft` becomes active when it is made the default. */
  readonly status?: 'draft' | 'active';
}

export interface GetProfileRequest {
  readonly key: string;
}

export interface ProfileVersionRequest {
  readonly key: string;
  readonly version: number;
}

/** The default must be a non-deprecated version; a draft made default becomes active. */
export type SetDefaultVersionRequest = ProfileVersionRequest;
/** Deprecating the default moves it to the newest other active version, and is refused when there is none. */
export type DeprecateVersionRequest = ProfileVersionRequest;

export interface ResolveProfileRequest {
  readonly key: string;
  /** Omitted: the default version. */
  readonly version?: number;
}

export interface ProfileVersionSummary {
  readonly version: number;
  readonly status: ProfileVersionStatus;
  readonly created_at: string;
}

/** A profile in lists. */
export interface ProfileSummary {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly description: string | null;
  readonly default_version: number;
  readonly created_at: string;
  readonly updated_at: string;
}

/** A profile with its versions and its default version in full. */
export interface ProfileView extends ProfileSummary {
  readonly versions: readonly ProfileVersionSummary[];
  readonly default: ProfileVersionView;
}

export interface ProfileVersionView extends ProfileVersionDefinition {
  readonly key: string;
  readonly version: number;
  readonly status: ProfileVersionStatus;
  readonly is_default: boolean;
  readonly created_at: string;
}

/** What `profiles.resolve` answers: everything a job needs to run this exact version. */
export interface ResolvedProfile extends ProfileVersionDefinition {
  readonly profile_id: string;
  readonly key: string;
  readonly version: number;
}

/** The profiles service's events; all travel on `events:profiles`. */
export const ProfileEvents = {
  created: 'ProfileCreated',
  versionPublished: 'ProfileVersionPublished',
  defaultVersionSet: 'DefaultVersionSet',
  versionDeprecated: 'ProfileVersionDeprecated',
} as const;
export type ProfileEventType = (typeof ProfileEvents)[keyof typeof ProfileEvents];

export const PROFILE_EVENTS_STREAM = Streams.events('profiles');

export interface ProfileCreatedEvent {
  readonly profile_id: string;
  readonly key: string;
  readonly name: string;
  readonly description: string | null;
}
export interface ProfileVersionPublishedEvent extends ProfileVersionDefinition {
  readonly profile_id: string;
  readonly version: number;
  readonly status: 'draft' | 'active';
}
export interface DefaultVersionSetEvent {
  readonly profile_id: string;
  readonly version: number;
  readonly previous_version: number | null;
}
export interface ProfileVersionDeprecatedEvent {
  readonly profile_id: string;
  readonly version: number;
}
