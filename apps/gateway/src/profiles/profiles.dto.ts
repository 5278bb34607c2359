import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type {
  Page,
  ProfileSummary,
  ProfileVersionDefinition,
  ProfileVersionStatus,
  ProfileVersionSummary,
  ProfileVersionView,
  ProfileView,
} from '@scriptripper/contracts';
import { PROFILE_KEY_PATTERN, PROFILE_VERSION_STATUSES } from '@scriptripper/contracts';

const FREE_FORM = { type: 'object', additionalProperties: true } as const;
const MAX_TEMPLATE_LENGTH = 100_000;

export class ProfileKeyParams {
  @ApiProperty({ pattern: PROFILE_KEY_PATTERN.source, example: 'meeting' })
  @Matches(PROFILE_KEY_PATTERN, { message: 'key must be lower-case letters, digits or dashes' })
  key!: string;
}

export class ProfileVersionParams extends ProfileKeyParams {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version!: number;
}

/** What a version holds; the service checks the schema with ajv and parses the template. */
export class ProfileVersionDefinitionDto implements ProfileVersionDefinition {
  @ApiProperty({ ...FREE_FORM, description: 'Named prompts for the providers' })
  @IsObject()
  prompts!: Record<string, unknown>;

  @ApiProperty({ ...FREE_FORM, description: 'Tunables of the analysis' })
  @IsObject()
  parameters!: Record<string, unknown>;

  @ApiProperty({ ...FREE_FORM, description: 'A JSON Schema (draft-07) the analysis output must satisfy' })
  @IsObject()
  output_schema!: Record<string, unknown>;

  @ApiProperty({ maxLength: MAX_TEMPLATE_LENGTH, description: 'Markdown with Mustache tags, no partials' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEMPLATE_LENGTH)
  template!: string;
}

export class CreateProfileDto {
  @ApiProperty({ pattern: PROFILE_KEY_PATTERN.source, example: 'sales-call' })
  @Matches(PROFILE_KEY_PATTERN, { message: 'key must be lower-case letters, digits or dashes' })
  key!: string;

  @ApiProperty({ maxLength: 200, example: 'Sales call' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2_000 })
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  description?: string;

  @ApiProperty({
    type: ProfileVersionDefinitionDto,
    description: 'Becomes version 1, active and the default',
  })
  // Without it a missing version passed (nested validation skips undefined) and the route threw.
  @IsObject({ message: 'version must be an object: the first version of the profile' })
  @ValidateNested()
  @Type(() => ProfileVersionDefinitionDto)
  version!: ProfileVersionDefinitionDto;
}

export class PublishProfileVersionDto extends ProfileVersionDefinitionDto {
  @ApiPropertyOptional({
    enum: ['active', 'draft'],
    default: 'active',
    description: 'A draft becomes active when it is made the default',
  })
  @IsOptional()
  @IsIn(['active', 'draft'])
  status?: 'active' | 'draft';
}

export class SetDefaultVersionDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Not a deprecated one; a draft becomes active' })
  @IsInt()
  @Min(1)
  version!: number;
}

export class ProfileSummaryDto implements ProfileSummary {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'meeting' })
  key!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: 'integer' })
  default_version!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export class ProfileVersionSummaryDto implements ProfileVersionSummary {
  @ApiProperty({ type: 'integer' })
  version!: number;

  @ApiProperty({ enum: PROFILE_VERSION_STATUSES })
  status!: ProfileVersionStatus;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class ProfileVersionViewDto extends ProfileVersionDefinitionDto implements ProfileVersionView {
  @ApiProperty()
  key!: string;

  @ApiProperty({ type: 'integer' })
  version!: number;

  @ApiProperty({ enum: PROFILE_VERSION_STATUSES })
  status!: ProfileVersionStatus;

  @ApiProperty()
  is_default!: boolean;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class ProfileViewDto extends ProfileSummaryDto implements ProfileView {
  @ApiProperty({ type: ProfileVersionSummaryDto, isArray: true })
  versions!: ProfileVersionSummaryDto[];

  @ApiProperty({ type: ProfileVersionViewDto, description: 'The default version in full' })
  default!: ProfileVersionViewDto;
}

export class ProfilePageDto implements Page<ProfileSummaryDto> {
  @ApiProperty({ type: ProfileSummaryDto, isArray: true })
  items!: ProfileSummaryDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}
