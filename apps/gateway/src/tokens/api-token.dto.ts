import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import type {
  ApiTokenView,
  CreateApiTokenRequest,
  CreatedApiToken,
  Page,
  Scope,
} from '@scriptripper/contracts';
import { ALL_SCOPES } from '@scriptripper/contracts';

export class CreateApiTokenDto implements CreateApiTokenRequest {
  @ApiProperty({ maxLength: 100, example: 'laptop CLI' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: ALL_SCOPES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(ALL_SCOPES.length)
  @IsIn(ALL_SCOPES, { each: true })
  scopes!: Scope[];

  @ApiPropertyOptional({ format: 'date-time', description: 'None: lives until revoked' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;
}

export class ApiTokenIdParams {
  @ApiProperty({ pattern: '^[A-Za-z0-9_-]{1,64}$' })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'id must be an id' })
  id!: string;
}

export class ApiTokenViewDto implements ApiTokenView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ALL_SCOPES, isArray: true })
  scopes!: Scope[];

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expires_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_used_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revoked_at!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The API token this one was made with; revoking it revokes this one',
  })
  parent_token_id!: string | null;
}

export class CreatedApiTokenDto extends ApiTokenViewDto implements CreatedApiToken {
  @ApiProperty({ description: 'The secret (`srt_...`), shown this once only', example: 'srt_...' })
  token!: string;
}

export class ApiTokenPageDto implements Page<ApiTokenViewDto> {
  @ApiProperty({ type: ApiTokenViewDto, isArray: true })
  items!: ApiTokenViewDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}
