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

/** A client's `Idempotency-Key` on `POST /exports/{id}`, per user; its primary key lets one of two concurrent requests win. */
@Entity({ tableName: 'export_idempotency_keys' })
export class ExportIdempotencyKey {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @PrimaryKey({ type: 'text' })
  key!: string;

  /** What the key was used for: `<subject_type>:<subject_id>`. */
  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'uuid' })
  exportId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;
}
