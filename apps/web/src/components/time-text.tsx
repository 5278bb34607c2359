import { formatDateTime } from '../lib/format';

/** A moment in the viewer's time zone, with the exact instant for machines and tooltips. */
export function TimeText({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatDateTime(iso)}
    </time>
  );
}
