import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { ErrorBody, PromptStatus } from '@scriptripper/contracts';

/**
 * Read model of custom prompts (`custom_prompts` of the data model, plus status and outcome).
 * The prompt text is here in the clear: read models go with their user on a purge, events keep
 * it sealed. A job's prompts are listed by (job_id, created_at).
 */
@Entity({ tableName: 'custom_prompts' })
@Index({ properties: ['jobId', 'createdAt', 'id'] })
@Index({ properties: ['userId'] })
export class CustomPrompt {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  jobId!: string;

  @Property({ type: 'text' })
  userId!: string;

  @Property({ type: 'text' })
  prompt!: string;

  @Property({ type: 'text' })
  status!: PromptStatus;

  @Property({ type: 'uuid', nullable: true })
  resultArtifactId!: string | null;

  @Property({ type: 'uuid', nullable: true })
  jsonArtifactId!: string | null;

  @Property({ type: 'text', nullable: true })
  provider!: string | null;

  @Property({ type: 'integer', nullable: true })
  tokens!: number | null;

  /** In US dollars: what answering cost (0 offline), counted by the spend caps. */
  @Property({ type: 'double' })
  cost!: number;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  error!: ErrorBody | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  answeredAt!: Date | null;
}
