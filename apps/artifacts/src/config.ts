import { Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { DataServiceConfig, Secret } from '@scriptripper/config';
import { isSigningKey, isSigningKeyMap, SIGNING_KEY_ID } from './download/signing-keys';

/** The artifacts service's settings, read from the environment by `loadConfig`. */
export class ArtifactsConfig extends DataServiceConfig {
  /** Root folder of the shared blob store (content-addressed files). */
  @IsString()
  @IsNotEmpty({ message: 'must name a folder' })
  BLOB_ROOT!: string;

  /** The key download URLs are signed with now: at least 32 random bytes, base64. */
  @Secret()
  @ValidateBy(
    { name: 'isSigningKey', validator: { validate: isSigningKey } },
    { message: 'must be base64 of at least 32 bytes' },
  )
  DOWNLOAD_SIGNING_KEY!: string;

  /** The id URLs name the current key by (`kid`); a new id with a new key rotates it. */
  @Matches(SIGNING_KEY_ID, { message: 'must be 1-32 letters, digits, dashes or underscores' })
  DOWNLOAD_SIGNING_KEY_ID = 'k1';

  /**
   * Retired keys that still verify URLs signed before a rotation, as JSON `{ "<kid>": "<base64>" }`;
   * drop one once the URLs it signed have expired.
   */
  @Secret()
  @IsOptional()
  @ValidateBy(
    { name: 'isSigningKeyMap', validator: { validate: isSigningKeyMap } },
    { message: 'must be a JSON object of key ids to base64 keys of at least 32 bytes' },
  )
  DOWNLOAD_SIGNING_PREVIOUS_KEYS?: string;

  /** How long a signed download URL lives. */
  @Type(() => Number)
  @Min(10, { message: 'must be between 10 and 86400' })
  @Max(86_400, { message: 'must be between 10 and 86400' })
  @IsInt({ message: 'must be a whole number' })
  DOWNLOAD_URL_TTL_SECONDS = 300;

  /** Days the raw transcript (upload and normalised `transcript` artifact) is kept; fractions allowed. */
  @Type(() => Number)
  @Min(0, { message: 'must be a number of days, at least 0' })
  @IsNumber({}, { message: 'must be a number of days' })
  RETENTION_TRANSCRIPT_DAYS = 30;

  /** Days derived outputs (results, exports, prompt answers) are kept; fractions allowed. */
  @Type(() => Number)
  @Min(0, { message: 'must be a number of days, at least 0' })
  @IsNumber({}, { message: 'must be a number of days' })
  RETENTION_OUTPUT_DAYS = 180;

  /** How often the retention sweep looks for expired artifacts and released blobs; 0 turns it off. */
  @Type(() => Number)
  @Min(0, { message: 'must be 0 (off) or a number of milliseconds' })
  @IsInt({ message: 'must be a whole number' })
  RETENTION_SWEEP_INTERVAL_MS = 3_600_000;

  /**
   * A blob no artifact holds any more is still kept while it was written this recently: the same
   * content was just stored again, and its new holder may not be registered yet.
   */
  @Type(() => Number)
  @Min(0, { message: 'must be a number of seconds, at least 0' })
  @IsInt({ message: 'must be a whole number' })
  RETENTION_BLOB_GRACE_SECONDS = 600;
}
