import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { ArtifactKind } from '@scriptripper/contracts';

/** Read model of artifacts: one per (job, kind); listed by job, oldest first. */
@Entity({ tableName: 'artifacts' })
@Unique({ properties: ['jobId', 'kind'] })
@Index({ properties: ['userId'] })
// Retention: the sweep looks for old artifacts; the releaser for live artifacts holding a blob.
@Index({ properties: ['createdAt'] })
@Index({ properties: ['uri'] })
export class Artifact {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  jobId!: string;

  /** The job's owner: reads are theirs (and admins'). */
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text' })
  kind!: ArtifactKind;

  @Property({ type: 'text' })
  uri!: string;

  /** sha256 (hex) of the content. */
  @Property({ type: 'text' })
  checksum!: string;

  @Property({ type: new BigIntType('number') })
  size!: number;

  @Property({ type: 'text' })
  contentType!: string;

  @Property({ type: 'text' })
  filename!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;

  /** When its retention ran out (ArtifactExpired): its blob is released, its downloads answer 410. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiredAt: Date | null = null;
}
