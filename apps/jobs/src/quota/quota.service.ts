import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { quotaDayOf, type Actor } from '@scriptripper/contracts';
import { JobsConfig } from '../config';
import { dailyJobsRefusal, spendCapRefusal, transcriptSizeRefusal, type QuotaLimits } from './quota.policy';
import { quotaUsageTable } from './quota-usage.projection';

/**
 * Quotas and spend caps, checked where jobs (and custom prompts) are created. The jobs
 * service's Postgres is the source of truth: `quota_usage` (a projection of JobCreated and
 * JobCompleted) holds each user's jobs and spend per UTC day.
 *
 * A create calls `checkSubmission` before it writes anything, then `enforceDailyJobs` inside
 * its transaction, after its JobCreated events were projected. The projection's upsert locks the
 * user's row of the day until the transaction ends, so of two creates at the quota's edge the
 * second waits for the first, then counts its job too and is refused (rolling back its own).
 */
@Injectable()
export class QuotaService {
  readonly limits: QuotaLimits;

  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(JobsConfig) config: JobsConfig,
  ) {
    this.limits = {
      jobsPerDay: config.QUOTA_JOBS_PER_DAY,
      transcriptBytes: config.QUOTA_TRANSCRIPT_BYTES,
      userDailySpendUsd: config.SPEND_CAP_USER_DAILY_USD ?? null,
      totalDailySpendUsd: config.SPEND_CAP_TOTAL_DAILY_USD ?? null,
    };
  }

  /**
   * Before anything is written: each transcript's size, the spend caps, and an early answer on
   * the daily job quota (`sizes.length` jobs at once: a batch of N counts N).
   */
  async checkSubmission(owner: Actor, sizes: readonly number[], now = new Date()): Promise<void> {
    const tooLarge = transcriptSizeRefusal(this.limits, owner.role, sizes);
    if (tooLarge) throw tooLarge;
    const usage = await this.usageOf(this.em.fork(), owner.id, now);
    const overSpent = spendCapRefusal(this.limits, owner.role, usage, now);
    if (overSpent) throw overSpent;
    const overQuota = dailyJobsRefusal(
      this.limits,
      owner.role,
      { usedToday: usage.jobs, creating: sizes.length },
      now,
    );
    if (overQuota) throw overQuota;
  }

  /** Work that costs money but creates no job (a custom prompt): the spend caps only. */
  async checkSpend(owner: Actor, now = new Date()): Promise<void> {
    const refusal = spendCapRefusal(
      this.limits,
      owner.role,
      await this.usageOf(this.em.fork(), owner.id, now),
      now,
    );
    if (refusal) throw refusal;
  }

  /**
   * Inside the creating transaction, after the `creating` JobCreated events (recorded at
   * `createdAt`) were projected: throws, rolling the whole create back, when the day's count
   * now passes the quota.
   */
  async enforceDailyJobs(em: EntityManager, owner: Actor, createdAt: Date, creating: number): Promise<void> {
    if (owner.role === 'admin') return;
    const [row] = await em.execute<{ jobs: number }[]>(
      `select jobs from ${quotaUsageTable(em)} where user_id = ? and day = ?`,
      [owner.id, quotaDayOf(createdAt)],
    );
    const counted = Number(row?.jobs ?? creating);
    const refusal = dailyJobsRefusal(
      this.limits,
      owner.role,
      { usedToday: counted - creating, creating },
      createdAt,
    );
    if (refusal) throw refusal;
  }

  private async usageOf(
    em: EntityManager,
    userId: string,
    now: Date,
  ): Promise<{ jobs: number; userUsd: number; totalUsd: number }> {
    const [row] = await em.execute<
      { jobs: string | null; user_usd: number | null; total_usd: number | null }[]
    >(
      `select sum(jobs) filter (where user_id = ?) as jobs,
              sum(spend_usd) filter (where user_id = ?) as user_usd,
              sum(spend_usd) as total_usd
         from ${quotaUsageTable(em)} where day = ?`,
      [userId, userId, quotaDayOf(now)],
    );
    return {
      jobs: Number(row?.jobs ?? 0),
      userUsd: Number(row?.user_usd ?? 0),
      totalUsd: Number(row?.total_usd ?? 0),
    };
  }
}
