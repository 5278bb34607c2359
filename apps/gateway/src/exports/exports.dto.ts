import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { ExportStatus, ExportSubjectType, ExportView } from '@scriptripper/contracts';
import { EXPORT_STATUSES } from '@scriptripper/contracts';
import { ArtifactViewDto } from '../artifacts/artifacts.dto';
import { ErrorBodyDto } from '../http/common.dto';

export class ExportIdParams {
  @ApiProperty({ format: 'uuid', description: 'A job id or a batch id (POST); an export id (GET)' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class CreatedExportDto {
  @ApiProperty({ format: 'uuid' })
  export_id!: string;
}

export class ExportViewDto implements ExportView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['job', 'batch'] })
  subject_type!: ExportSubjectType;

  @ApiProperty({ format: 'uuid' })
  subject_id!: string;

  @ApiProperty({ enum: EXPORT_STATUSES })
  status!: ExportStatus;

  @ApiProperty({
    type: ArtifactViewDto,
    isArray: true,
    description:
      'Once completed: the export_zip and export_json artifacts (their job_id is the export id); ' +
      'download each through GET /artifacts/{id}',
  })
  artifacts!: ArtifactViewDto[];

  @ApiProperty({ type: ErrorBodyDto, nullable: true })
  error!: ErrorBodyDto | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completed_at!: string | null;
}
