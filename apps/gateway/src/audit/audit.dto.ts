import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import type { AuditEntry, AuditQuery, Page } from '@scriptripper/contracts';
import { PageQueryDto } from '../http/common.dto';

export class AuditQueryDto extends PageQueryDto implements AuditQuery {
  @ApiPropertyOptional({ description: 'Only entries caused by this actor' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  actor_id?: string;

  @ApiPropertyOptional({ description: 'Only this event type', example: 'UserSignedIn' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  type?: string;

  @ApiPropertyOptional({ description: 'Only entries of this request' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  correlation_id?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class AuditActorDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  role!: string;
}

export class AuditEntryDto implements AuditEntry {
  @ApiProperty({ example: 'auth' })
  service!: string;

  @ApiProperty({ description: "Position in the service's event log" })
  position!: number;

  @ApiProperty()
  stream_id!: string;

  @ApiProperty()
  stream_type!: string;

  @ApiProperty()
  version!: number;

  @ApiProperty({ example: 'UserSignedIn' })
  type!: string;

  @ApiProperty({ type: AuditActorDto })
  actor!: AuditActorDto;

  @ApiProperty()
  correlation_id!: string;

  @ApiProperty({ type: String, nullable: true })
  causation_id!: string | null;

  @ApiProperty({ format: 'date-time' })
  recorded_at!: string;

  @ApiProperty({ description: "Link in the stream's hash chain" })
  hash!: string;
}

export class AuditPageDto implements Page<AuditEntryDto> {
  @ApiProperty({ type: AuditEntryDto, isArray: true })
  items!: AuditEntryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Null only at the end; a page may be shorter than limit',
  })
  next_cursor!: string | null;
}

export class BrokenLinkDto {
  @ApiProperty()
  stream_id!: string;

  @ApiProperty()
  stream_version!: number;

  @ApiProperty()
  global_position!: number;

  @ApiProperty()
  expected_hash!: string;

  @ApiProperty()
  actual_hash!: string;
}

export class ServiceChainsDto {
  @ApiProperty({ example: 'jobs' })
  service!: string;

  @ApiProperty({ description: 'Every hash chain of the service verified' })
  ok!: boolean;

  @ApiPropertyOptional({ description: 'Streams walked' })
  streams?: number;

  @ApiPropertyOptional({ description: 'Events walked' })
  events?: number;

  @ApiPropertyOptional({ type: BrokenLinkDto, description: 'The first link that does not verify' })
  first_broken?: BrokenLinkDto;

  @ApiPropertyOptional({ description: 'The service could not verify (down, timed out, refused)' })
  error?: string;
}

export class AuditVerificationDto {
  @ApiProperty({ description: 'Every service answered and every chain verified' })
  ok!: boolean;

  @ApiProperty({ type: ServiceChainsDto, isArray: true })
  services!: ServiceChainsDto[];
}
