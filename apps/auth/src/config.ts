import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { DataServiceConfig, Secret } from '@scriptripper/config';
import { withOidcSettings } from './oidc';

const BASE64_32_BYTES = /^[A-Za-z0-9+/_-]{43}=?$/;

/** The auth service's settings, read from the environment by `loadConfig`. */
export class AuthConfig extends withOidcSettings(DataServiceConfig) {
  /** Seals signing keys and users' data keys: base64 of 32 random bytes (`openssl rand -base64 32`). */
  @Secret()
  @Matches(BASE64_32_BYTES, { message: 'must be base64 of exactly 32 random bytes' })
  AUTH_KEY_ENCRYPTION_KEY!: string;

  /** Signing in with this address makes (or keeps) the first admin. */
  @IsEmail({}, { message: 'must be an email address' })
  ADMIN_EMAIL!: string;

  /** Where magic links are sent through; may carry credentials. */
  @Secret()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsString()
  MAIL_FROM = 'ScriptRipper <no-reply@scriptripper.local>';

  /** The gateway's public address: magic links point at it. */
  @Matches(/^https?:\/\/\S+[^/]$/, { message: 'must be an http(s) URL without a trailing slash' })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  @Type(() => Number)
  @Min(1, { message: 'must be between 1 and 60' })
  @Max(60, { message: 'must be between 1 and 60' })
  @IsInt({ message: 'must be a whole number' })
  MAGIC_LINK_TTL_MINUTES = 15;

  /** At most this many links per address per window, counted in the database. */
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number' })
  MAGIC_LINK_MAX_PER_WINDOW = 5;

  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number' })
  MAGIC_LINK_WINDOW_MINUTES = 15;

  @Type(() => Number)
  @Min(60, { message: 'must be between 60 and 3600' })
  @Max(3600, { message: 'must be between 60 and 3600' })
  @IsInt({ message: 'must be a whole number' })
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number' })
  REFRESH_TOKEN_TTL_DAYS = 30;

  /** The current signing key is replaced once it is this old (checked at boot and hourly). */
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number' })
  AUTH_KEY_ROTATION_DAYS = 30;

  /** A retired key stays published, and its tokens valid, this long after its retirement. */
  @Type(() => Number)
  @Min(0, { message: 'must be at least 0' })
  @IsInt({ message: 'must be a whole number' })
  AUTH_KEY_GRACE_SECONDS = 900;
}
