import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The exports whose files hold a job's content (its results and transcript): when the job is
 * deleted, their files must go with it. Runs in the caller's transaction, if any.
 */
export async function exportsHoldingJob(em: EntityManager, jobId: string): Promise<string[]> {
  const schema = em.config.get('schema');
  const table = schema ? `"${schema}"."exports"` : '"exports"';
  const rows = await em.execute<{ id: string }[]>(`select id from ${table} where job_ids @> ?::jsonb`, [
    JSON.stringify([jobId]),
  ]);
  return rows.map((row) => row.id);
}
