import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { JobMetrics, JobStatus, TranscriptFormatName } from '@scriptripper/contracts';
import type { JobError } from './job.events';

/** Read model of jobs: an owner's list is by (user_id, created_at); the scheduler looks at status and retry_at. */
@Entity({ tableName: 'jobs' })
@Index({ properties: ['userId', 'createdAt', 'id'] })
@Index({ properties: ['status', 'updatedAt'] })
@Index({ properties: ['retryAt'] })
export class JobRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  userId!: string;

  @Property({ type: 'uuid' })
  profileId!: string;

  @Property({ type: 'text' })
  profileKey!: string;

  @Property({ type: 'integer' })
  profileVersion!: number;

  @Property({ type: 'text' })
  status!: JobStatus;

  @Property({ type: 'text' })
  inputUri!: string;

  @Property({ type: 'text' })
  inputSha256!: string;

  @Property({ type: 'bigint' })
  inputSize!: string;

  @Property({ type: 'text', nullable: true })
  format!: TranscriptFormatName | null;

  @Property({ type: 'text', nullable: true })
  filename!: string | null;

  @Property({ type: 'text', nullable: true })
  meetingDate!: string | null;

  @Property({ type: 'integer' })
  attempts!: number;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  metrics!: JobMetrics | null;

  @Property({ type: 'double' })
  cost!: number;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  error!: JobError | null;

  /** When a scheduled retry's work message is due; null when none is. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  retryAt!: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;

  /** The last progress (any event): what the watchdog measures a stall from. */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** When the job's upload or normalised transcript expired under retention (ArtifactExpired); null while kept. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  transcriptExpiredAt: Date | null = null;

  /** The batch the job was submitted in, if any. */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  batchId: string | null = null;

  /** The job this one re-runs, if any (`GET /jobs/{id}/changes` compares the two). */
  @Property({ type: 'uuid', nullable: true })
  rerunOf: string | null = null;
}
