/** A job's, batch's or export's state as its word (queued, running, completed, ...). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{status.replace('_', ' ')}</span>;
}
