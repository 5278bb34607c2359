import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import type {
  JobMetrics,
  JobStatus,
  JobStatusChanged,
  JobView,
  TranscriptFormatName,
} from '@scriptripper/contracts';
import { JOB_STATUSES, PROFILE_KEY_PATTERN, TRANSCRIPT_FORMATS } from '@scriptripper/contracts';
import { PageQueryDto } from '../http/common.dto';

const MEETING_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class JobIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

/** What a job is asked with besides the transcript itself: the same in JSON and in a multipart upload. */
export class JobFieldsDto {
  @ApiProperty({ pattern: PROFILE_KEY_PATTERN.source, example: 'meeting' })
  @Matches(PROFILE_KEY_PATTERN, { message: 'profile must be a profile key' })
  @MaxLength(63)
  profile!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: "Pins a version; the profile's default otherwise",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  profile_version?: number;

  @ApiPropertyOptional({ enum: TRANSCRIPT_FORMATS, description: 'Detected from the content when absent' })
  @IsOptional()
  @IsIn(TRANSCRIPT_FORMATS, { message: `format must be one of ${TRANSCRIPT_FORMATS.join(', ')}` })
  format?: TranscriptFormatName;

  @ApiPropertyOptional({ maxLength: 255, example: 'standup.vtt' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  filename?: string;

  @ApiPropertyOptional({ example: '2026-11-27', description: 'YYYY-MM-DD: resolves relative due dates' })
  @IsOptional()
  @Matches(MEETING_DATE, { message: 'meeting_date must be YYYY-MM-DD' })
  meeting_date?: string;
}

/** `POST /jobs` as JSON: the transcript inline. */
export class CreateJobDto extends JobFieldsDto {
  @ApiProperty({ description: 'The transcript text (WebVTT, SRT, JSON, plain, ...), up to the upload limit' })
  @IsString()
  @IsNotEmpty()
  transcript!: string;
}

/** `POST /jobs` as multipart/form-data: the transcript as the `file` part, the fields as text parts. */
export class UploadJobDto extends JobFieldsDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'The transcript file, up to the upload limit',
  })
  file!: unknown;
}

export class CreatedJobDto {
  @ApiProperty({ format: 'uuid' })
  job_id!: string;
}

export class ListJobsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: `status must be one of ${JOB_STATUSES.join(', ')}` })
  status?: JobStatus;

  @ApiPropertyOptional({ pattern: PROFILE_KEY_PATTERN.source, description: 'Only jobs of this profile' })
  @IsOptional()
  @Matches(PROFILE_KEY_PATTERN, { message: 'profile must be a profile key' })
  profile?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the jobs of this batch' })
  @IsOptional()
  @IsUUID('all', { message: 'batch_id must be a UUID' })
  batch_id?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'created_from must be an ISO-8601 time' })
  created_from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'created_to must be an ISO-8601 time' })
  created_to?: string;
}

class JobMetricsDto implements JobMetrics {
  @ApiProperty({ type: 'integer', nullable: true })
  duration_ms!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  words!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  segments!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  speakers!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  tokens!: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Items an LLM gave whose evidence quote is not in the transcript: dropped, never shown',
  })
  dropped_items?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Tokens sent to LLMs, failed tries included' })
  input_tokens?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Tokens received from LLMs, failed tries included' })
  output_tokens?: number;

  @ApiPropertyOptional({ example: 'openai', description: '`offline`, `openai`, `anthropic` or `gemini`' })
  provider?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'gpt-4o-mini' })
  model?: string | null;
}

class JobErrorDto {
  @ApiProperty({ example: 'TRANSCRIPT_EMPTY' })
  code!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty()
  retryable!: boolean;
}

export class JobViewDto implements JobView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  user_id!: string;

  @ApiProperty({ format: 'uuid' })
  profile_id!: string;

  @ApiProperty({ example: 'meeting' })
  profile_key!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  profile_version!: number;

  @ApiProperty({ enum: JOB_STATUSES })
  status!: JobStatus;

  @ApiProperty({ example: 'blob://sha256/…' })
  input_uri!: string;

  @ApiProperty({ enum: TRANSCRIPT_FORMATS, nullable: true })
  format!: TranscriptFormatName | null;

  @ApiProperty({ type: String, nullable: true })
  filename!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2026-11-27' })
  meeting_date!: string | null;

  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({ type: JobMetricsDto, nullable: true })
  metrics!: JobMetricsDto | null;

  @ApiProperty({ description: 'US dollars; 0 for the built-in analyzer' })
  cost!: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'openai:gpt-4o-mini',
    description: 'Who analysed the job (`offline` or `<provider>:<model>`), once it completed',
  })
  provider?: string | null;

  @ApiProperty({ type: JobErrorDto, nullable: true })
  error!: JobErrorDto | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completed_at!: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The batch the job was submitted in',
  })
  batch_id?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The job this one re-ran (POST /jobs/{id}/rerun)',
  })
  rerun_of?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: "When the job's transcript expired under the retention policy; null while it is kept",
  })
  transcript_expired_at?: string | null;
}

export class JobPageDto {
  @ApiProperty({ type: JobViewDto, isArray: true })
  items!: JobViewDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor!: string | null;
}

/** The data of each `status` event of a job's event stream. */
export class JobStatusEventDto implements Omit<JobStatusChanged, 'user_id'> {
  @ApiProperty({ format: 'uuid' })
  job_id!: string;

  @ApiProperty({ enum: JOB_STATUSES })
  status!: JobStatus;

  @ApiProperty({ type: 'integer' })
  attempt!: number;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}
