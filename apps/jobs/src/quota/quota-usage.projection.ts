import type { EntityManager } from '@mikro-orm/postgresql';
import { quotaDayOf } from '@scriptripper/contracts';
import type { Projection, RecordedEvent } from '@scriptripper/event-store';
import type { JobCompletedData, JobCreatedData } from '../job/job.events';

/**
 * Counts each user's jobs by the UTC day they were created, and their LLM cost by the day it
 * was spent: a job's when it completed, a custom prompt's when it was answered.
 */
export const quotaUsageProjection: Projection = {
  name: 'quota_usage',
  handles: ['JobCreated', 'JobCompleted', 'PromptAnswered'],
  apply: async (em, recorded) => {
    // The day of the decision's own time (`at`), which the create's quota check uses too.
    if (recorded.type === 'JobCreated') {
      const { user_id, at } = (recorded as RecordedEvent<JobCreatedData>).data;
      await addUsage(em, user_id, quotaDayOf(new Date(at)), { jobs: 1 });
    } else {
      // JobCompleted and PromptAnswered both carry the owner, the cost and when.
      const { user_id, cost, at } = (
        recorded as RecordedEvent<Pick<JobCompletedData, 'user_id' | 'cost' | 'at'>>
      ).data;
      if (cost > 0) await addUsage(em, user_id, quotaDayOf(new Date(at)), { spendUsd: cost });
    }
  },
};

/**
 * Adds to a user's usage of `day` in the caller's transaction. Other slices whose work costs
 * money (custom prompts answered by an LLM) call it from their own projection with the cost.
 */
export async function addUsage(
  em: EntityManager,
  userId: string,
  day: string,
  usage: { readonly jobs?: number; readonly spendUsd?: number },
): Promise<void> {
  // em.execute (not em.getConnection().execute) runs in the caller's transaction.
  await em.execute(
    `insert into ${quotaUsageTable(em)} (user_id, day, jobs, spend_usd) values (?, ?, ?, ?)
     on conflict (user_id, day) do update
       set jobs = quota_usage.jobs + excluded.jobs, spend_usd = quota_usage.spend_usd + excluded.spend_usd`,
    [userId, day, usage.jobs ?? 0, usage.spendUsd ?? 0],
  );
}

export function quotaUsageTable(em: EntityManager): string {
  const schema = em.config.get('schema');
  return schema ? `"${schema.replace(/"/g, '""')}"."quota_usage"` : '"quota_usage"';
}
