import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsUUID, Min } from 'class-validator';
import type { RelabelStatusView, ResultsChanges, SectionChanges } from '@scriptripper/contracts';
import { ErrorBodyDto } from '../http/common.dto';

export class RerunJobDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: "Another version of the job's profile; the original's version when absent",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  profile_version?: number;
}

export class RerunCreatedDto {
  @ApiProperty({ format: 'uuid', description: 'The new job, whose rerun_of is the original' })
  job_id!: string;
}

export class RelabelSpeakersDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'Speaker 0': 'Alice', 'Speaker 1': 'Alice' },
    description: 'Old label to new name; several labels renamed to one name are merged',
  })
  // As sent: class-transformer would rebuild the map through each value's `constructor`, so a
  // label named "constructor" broke it. jobs checks every label and name.
  @Transform(({ obj }: { obj: { rename?: unknown } }) => obj.rename, { toClassOnly: true })
  @IsObject()
  rename!: Record<string, string>;
}

export class RelabelAcceptedDto {
  @ApiProperty({ format: 'uuid' })
  job_id!: string;

  @ApiProperty({ format: 'uuid' })
  relabel_id!: string;
}

/** `/jobs/{id}/speakers/{relabel_id}`. */
export class RelabelParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'relabel_id must be a UUID' })
  relabel_id!: string;
}

export class RelabelStatusDto implements RelabelStatusView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  job_id!: string;

  @ApiProperty({ enum: ['pending', 'applied', 'failed'] })
  status!: 'pending' | 'applied' | 'failed';

  @ApiProperty({ type: ErrorBodyDto, nullable: true, description: 'Why it could not be applied' })
  error!: ErrorBodyDto | null;
}

class ChangedItemDto {
  @ApiProperty({ type: 'object', additionalProperties: true })
  before!: unknown;

  @ApiProperty({ type: 'object', additionalProperties: true })
  after!: unknown;
}

class SectionChangesDto implements SectionChanges {
  @ApiProperty({ example: 'decisions' })
  section!: string;

  // The items themselves may hold any field (Nest would put additionalProperties on the array).
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  added!: unknown[];

  // The items themselves may hold any field (Nest would put additionalProperties on the array).
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  removed!: unknown[];

  @ApiProperty({ type: ChangedItemDto, isArray: true })
  changed!: ChangedItemDto[];

  @ApiProperty({ type: 'integer' })
  unchanged!: number;
}

class ProfileVersionsDto {
  @ApiProperty({ example: 'meeting' })
  key!: string;

  @ApiProperty({ type: 'integer' })
  from_version!: number;

  @ApiProperty({ type: 'integer' })
  to_version!: number;
}

export class ResultsChangesDto implements ResultsChanges {
  @ApiProperty({ format: 'uuid', description: 'The re-run' })
  job_id!: string;

  @ApiProperty({ format: 'uuid', description: 'The job it re-ran' })
  rerun_of!: string;

  @ApiProperty({ type: ProfileVersionsDto })
  profile!: ProfileVersionsDto;

  @ApiProperty()
  summary_changed!: boolean;

  @ApiProperty({ type: SectionChangesDto, isArray: true })
  sections!: SectionChangesDto[];
}
