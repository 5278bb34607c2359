import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A user's use of the platform on one UTC day: jobs created and LLM spend. A projection of
 * jobs' events (JobCreated, JobCompleted), so it can be rebuilt; its row is also what
 * serialises two creates of one user at the quota's edge (the projection's upsert locks it
 * until the creating transaction ends).
 */
@Entity({ tableName: 'quota_usage' })
@Index({ properties: ['day'] })
export class QuotaUsage {
  @PrimaryKey({ type: 'text' })
  userId!: string;

  /** `YYYY-MM-DD`, UTC. */
  @PrimaryKey({ type: 'text' })
  day!: string;

  @Property({ type: 'integer' })
  jobs!: number;

  /** US dollars. */
  @Property({ type: 'double' })
  spendUsd!: number;
}
