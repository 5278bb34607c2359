/**
 * True for `YYYY-MM-DD` naming a day that exists (not 2024-13-45, not 2023-02-29). A meeting
 * date the shape alone let through reached the worker, which refused it on every delivery, so
 * the job went to the dead letters and was re-queued until its attempts ran out.
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}
