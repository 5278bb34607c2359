import { Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { Secret } from '@scriptripper/config';
import { GOOGLE_ISSUER, oidcProvidersFromJson, type OidcProviderSources } from './oidc-providers';

/** Parses `OIDC_PROVIDERS` at boot, so a bad entry stops the service with a clear message. */
@ValidatorConstraint({ name: 'oidcProvidersJson' })
class OidcProvidersJson implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return problemOf(value) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return problemOf(args.value) ?? 'is invalid';
  }
}

function problemOf(json: unknown): string | null {
  try {
    oidcProvidersFromJson(String(json));
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

// TypeScript requires exactly `any[]` for a mixin's constructor parameters.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor = new (...args: any[]) => object;

/**
 * Adds the OpenID Connect settings to a config class, so the auth service's one config class
 * carries them and refuses to boot when they are wrong:
 * `export class AuthConfig extends withOidcSettings(DataServiceConfig) {}`.
 */
export function withOidcSettings<TBase extends Constructor>(Base: TBase) {
  class WithOidcSettings extends Base implements OidcProviderSources {
    /** `{ "<name>": { "issuer", "client_id", "client_secret" } }`; carries secrets. */
    @Secret()
    @IsOptional()
    @IsString()
    @Validate(OidcProvidersJson)
    OIDC_PROVIDERS?: string;

    /** Google is configured when this is set. */
    @IsOptional()
    @IsString()
    OIDC_GOOGLE_CLIENT_ID?: string;

    @Secret()
    @ValidateIf((config: OidcProviderSources) => Boolean(config.OIDC_GOOGLE_CLIENT_ID))
    @IsString()
    @IsNotEmpty({ message: 'must be set with OIDC_GOOGLE_CLIENT_ID' })
    OIDC_GOOGLE_CLIENT_SECRET?: string;

    @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
    OIDC_GOOGLE_ISSUER = GOOGLE_ISSUER;

    /** The provider a start request without one uses. */
    @Matches(/^[a-z0-9][a-z0-9-]{0,31}$/, { message: 'must be a provider name' })
    OIDC_DEFAULT_PROVIDER = 'google';

    /** How long a person has between being sent to the provider and coming back. */
    @Type(() => Number)
    @Min(60, { message: 'must be between 60 and 3600' })
    @Max(3600, { message: 'must be between 60 and 3600' })
    @IsInt({ message: 'must be a whole number' })
    OIDC_ATTEMPT_TTL_SECONDS = 600;
  }
  return WithOidcSettings;
}

/** The OpenID Connect settings on their own (tests, and apps that load them separately). */
export class OidcConfig extends withOidcSettings(class {}) {}
