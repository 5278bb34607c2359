// [hh:]mm:ss[.,mmm] with bounded digit counts so hostile lines cannot make it backtrack.
const CLOCK = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$/;

/** Milliseconds of a clock time such as `01:02:03.450`, `02:03,450` or `0:03`; null if it is not one. */
export function parseClockTime(value: string): number | null {
  const match = CLOCK.exec(value.trim());
  if (!match) return null;
  const [, hours, minutes, seconds, fraction] = match;
  if (Number(seconds) >= 60 || (hours !== undefined && Number(minutes) >= 60)) return null;
  const milliseconds = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0'));
  return ((Number(hours ?? 0) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + milliseconds;
}

/** `hh:mm:ss` for Markdown and highlights. */
export function formatClockTime(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return [hours, minutes, seconds].map((part) => String(part).padStart(2, '0')).join(':');
}
