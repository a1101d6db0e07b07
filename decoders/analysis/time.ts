// Timestamps are kept as (whole seconds, nanoseconds) so nanosecond captures stay exact.

/** ISO 8601 UTC with nine fraction digits: 2025-11-24T16:00:00.000000001Z. */
export function isoNanos(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return `${sec}.${String(nsec).padStart(9, '0')}`;
  const iso = d.toISOString(); // …T16:00:00.000Z
  return `${iso.slice(0, iso.length - 5)}.${String(nsec).padStart(9, '0')}Z`;
}

/** Seconds between two (sec, nsec) times as a float; the whole-second part is subtracted first to keep precision. */
export function diffSeconds(sec: number, nsec: number, sec0: number, nsec0: number): number {
  return (sec - sec0) + (nsec - nsec0) / 1e9;
}
