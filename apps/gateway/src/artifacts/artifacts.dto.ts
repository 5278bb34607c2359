import { ApiProperty } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';
import type { ArtifactKind, ArtifactView, SignedDownload } from '@scriptripper/contracts';
import { ARTIFACT_KINDS } from '@scriptripper/contracts';

export class IdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

/** What a signed download URL carries besides the artifact id; the artifacts service checks it. */
export class DownloadQueryDto {
  @ApiProperty({ description: 'Expiry, in Unix seconds', example: '1764504000' })
  @Matches(/^\d{1,12}$/, { message: 'exp must be Unix seconds' })
  exp!: string;

  @ApiProperty({ description: 'Id of the signing key', example: 'k1' })
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'kid must be a key id' })
  kid!: string;

  @ApiProperty({ description: 'Hex HMAC-SHA256 of "{id}.{exp}"', pattern: '^[0-9a-f]{64}$' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sig must be 64 lowercase hex digits' })
  sig!: string;
}

export class ArtifactViewDto implements ArtifactView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  job_id!: string;

  @ApiProperty({
    type: String,
    description: `${ARTIFACT_KINDS.join(', ')} or prompt:<id>`,
    example: 'results_md',
  })
  kind!: ArtifactKind;

  @ApiProperty({ example: 'blob://sha256/…' })
  uri!: string;

  @ApiProperty({ description: 'sha256 (hex) of the content' })
  checksum!: string;

  @ApiProperty({ type: 'integer', description: 'Bytes' })
  size!: number;

  @ApiProperty({ example: 'text/markdown; charset=utf-8' })
  content_type!: string;

  @ApiProperty({ example: 'results.md' })
  filename!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

/** A job's artifacts: few, so always one page. */
export class ArtifactListDto {
  @ApiProperty({ type: ArtifactViewDto, isArray: true })
  items!: ArtifactViewDto[];

  @ApiProperty({ type: String, nullable: true, enum: [null] })
  next_cursor!: null;
}

export class SignedDownloadDto implements SignedDownload {
  @ApiProperty({ example: '/api/v1/downloads/{id}?exp=1764504000&kid=k1&sig=…' })
  url!: string;

  @ApiProperty({ format: 'date-time' })
  expires_at!: string;
}
