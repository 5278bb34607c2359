import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type {
  BatchCounts,
  BatchItemView,
  BatchStatus,
  BatchView,
  JobStatus,
  TranscriptFormatName,
} from '@scriptripper/contracts';
import {
  BATCH_STATUSES,
  JOB_STATUSES,
  PROFILE_KEY_PATTERN,
  TRANSCRIPT_FORMATS,
} from '@scriptripper/contracts';

const MEETING_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class BatchIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

/** What a batch is asked with besides its transcripts: the same in JSON and in a multipart upload. */
export class BatchFieldsDto {
  @ApiProperty({ pattern: PROFILE_KEY_PATTERN.source, example: 'meeting' })
  @Matches(PROFILE_KEY_PATTERN, { message: 'profile must be a profile key' })
  @MaxLength(63)
  profile!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: "Pins a version for every item; the profile's default otherwise",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  profile_version?: number;

  @ApiPropertyOptional({ example: '2026-11-27', description: 'YYYY-MM-DD: resolves relative due dates' })
  @IsOptional()
  @Matches(MEETING_DATE, { message: 'meeting_date must be YYYY-MM-DD' })
  meeting_date?: string;
}

export class BatchItemDto {
  @ApiProperty({ description: 'The transcript text (WebVTT, SRT, JSON, plain, ...)' })
  @IsString()
  @IsNotEmpty()
  transcript!: string;

  @ApiPropertyOptional({ maxLength: 255, example: 'standup.vtt' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  filename?: string;

  @ApiPropertyOptional({ enum: TRANSCRIPT_FORMATS, description: 'Detected from the content when absent' })
  @IsOptional()
  @IsIn(TRANSCRIPT_FORMATS, { message: `format must be one of ${TRANSCRIPT_FORMATS.join(', ')}` })
  format?: TranscriptFormatName;
}

/** `POST /jobs/batch` as JSON: the transcripts inline. */
export class CreateBatchDto extends BatchFieldsDto {
  @ApiProperty({ type: BatchItemDto, isArray: true, description: '1 to BATCH_MAX_ITEMS (100) transcripts' })
  @IsArray({ message: 'items must be a list of transcripts' })
  @ValidateNested({ each: true })
  @Type(() => BatchItemDto)
  items!: BatchItemDto[];
}

/** `POST /jobs/batch` as multipart/form-data: one `file` part per transcript, the fields as text parts. */
export class UploadBatchDto extends BatchFieldsDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    description: 'The transcript files, each up to the upload limit; several parts named file',
  })
  file!: unknown;
}

export class CreatedBatchDto {
  @ApiProperty({ format: 'uuid' })
  batch_id!: string;

  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: "In the items' order" })
  job_ids!: string[];
}

class BatchCountsDto implements BatchCounts {
  @ApiProperty({ type: 'integer' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  queued!: number;

  @ApiProperty({ type: 'integer' })
  running!: number;

  @ApiProperty({ type: 'integer' })
  completed!: number;

  @ApiProperty({ type: 'integer' })
  failed!: number;

  @ApiProperty({ type: 'integer' })
  cancelled!: number;
}

class BatchItemViewDto implements BatchItemView {
  @ApiProperty({ format: 'uuid' })
  job_id!: string;

  @ApiProperty({ type: String, nullable: true })
  filename!: string | null;

  @ApiProperty({ enum: JOB_STATUSES })
  status!: JobStatus;
}

export class BatchViewDto implements BatchView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  user_id!: string;

  @ApiProperty({ example: 'meeting' })
  profile_key!: string;

  @ApiProperty({ type: 'integer' })
  profile_version!: number;

  @ApiProperty({
    enum: BATCH_STATUSES,
    description:
      'running while any job is not finished; then completed, partially_failed, failed or cancelled',
  })
  status!: BatchStatus;

  @ApiProperty({ type: BatchCountsDto })
  counts!: BatchCountsDto;

  @ApiProperty({ type: BatchItemViewDto, isArray: true })
  items!: BatchItemViewDto[];

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class BatchPageDto {
  @ApiProperty({ type: BatchViewDto, isArray: true })
  items!: BatchViewDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}
