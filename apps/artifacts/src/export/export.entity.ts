import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { ErrorBody, ExportStatus, ExportSubjectType } from '@scriptripper/contracts';

/** Read model of exports: read by id (owner or admin); an owner's exports by (user_id, created_at). */
@Entity({ tableName: 'exports' })
@Index({ properties: ['userId', 'createdAt'] })
export class ExportRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text' })
  subjectType!: ExportSubjectType;

  @Property({ type: 'uuid' })
  subjectId!: string;

  /** The jobs the export holds, in order. */
  @Property({ type: 'json', columnType: 'jsonb' })
  jobIds!: string[];

  @Property({ type: 'text' })
  status!: ExportStatus;

  @Property({ type: 'json', columnType: 'jsonb' })
  artifactIds!: string[];

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  error!: ErrorBody | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
