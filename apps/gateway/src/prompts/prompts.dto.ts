import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import {
  MAX_PROMPT_LENGTH,
  PROMPT_STATUSES,
  type PromptStatus,
  type PromptView,
} from '@scriptripper/contracts';
import { ErrorBodyDto } from '../http/common.dto';

export class CreatePromptDto {
  @ApiProperty({ format: 'uuid', description: 'A completed job of yours' })
  @IsUUID('all', { message: 'job_id must be a UUID' })
  job_id!: string;

  @ApiProperty({ maxLength: MAX_PROMPT_LENGTH, example: 'What did we decide about the launch date?' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PROMPT_LENGTH)
  prompt!: string;
}

export class CreatedPromptDto {
  @ApiProperty({ format: 'uuid' })
  prompt_id!: string;
}

export class PromptIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class PromptViewDto implements PromptView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  job_id!: string;

  @ApiProperty()
  prompt!: string;

  @ApiProperty({ enum: PROMPT_STATUSES })
  status!: PromptStatus;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'The answer in Markdown (artifact kind `prompt:<id>`), downloaded through GET /artifacts/{id}',
  })
  result_artifact_id!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The answer as JSON, with its citations',
  })
  json_artifact_id!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'offline' })
  provider!: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  tokens!: number | null;

  @ApiProperty({ description: 'US dollars; 0 offline' })
  cost!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  answered_at!: string | null;

  @ApiProperty({ type: ErrorBodyDto, nullable: true })
  error!: ErrorBodyDto | null;
}

export class PromptPageDto {
  @ApiProperty({ type: PromptViewDto, isArray: true })
  items!: PromptViewDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}
