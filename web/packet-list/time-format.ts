// The Time column in each of Wireshark's time display formats. Absolute times are exact to the
// nanosecond in the rows (whole seconds + nanoseconds) and shown to the microsecond, as Wireshark's
// default precision for such captures; local times use the browser's time zone.
import type { TimeFormat } from '../prefs/view-prefs.ts';

export interface RowTimes {
  /** Seconds since the first frame. */
  time: number | null;
  epoch: { sec: number; nsec: number } | null;
  delta: number | null;
  deltaShown: number | null;
}

/** Minutes to add to UTC for local time at `sec` (east of Greenwich positive). */
export type ZoneOffset = (sec: number) => number;

export const browserZone: ZoneOffset = (sec) => -new Date(sec * 1000).getTimezoneOffset();

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Microseconds of a nanosecond fraction, truncated (a time never shows later than it is). */
function micros(nsec: number): string {
  return pad(Math.floor(nsec / 1000), 6);
}

function seconds(v: number | null): string {
  return v === null ? '' : v.toFixed(6);
}

/** `2025-11-24 16:00:00.000001` (withDate) or `16:00:00.000001` at `sec` shifted by `offsetMin`. */
function clock(sec: number, nsec: number, offsetMin: number, withDate: boolean): string {
  const d = new Date((sec + offsetMin * 60) * 1000);
  if (Number.isNaN(d.getTime())) return `${sec}.${micros(nsec)}`;
  const tod = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${micros(nsec)}`;
  return withDate ? `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${tod}` : tod;
}

export function formatTime(r: RowTimes, format: TimeFormat, zone: ZoneOffset = browserZone): string {
  switch (format) {
    case 'relative': return seconds(r.time);
    case 'delta': return seconds(r.delta);
    case 'delta-displayed': return seconds(r.deltaShown);
    default: break;
  }
  const e = r.epoch;
  if (e === null) return '';
  switch (format) {
    case 'epoch': return `${e.sec}.${micros(e.nsec)}`;
    case 'utc': return clock(e.sec, e.nsec, 0, true);
    case 'utc-time-of-day': return clock(e.sec, e.nsec, 0, false);
    case 'absolute': return clock(e.sec, e.nsec, zone(e.sec), true);
    case 'time-of-day': return clock(e.sec, e.nsec, zone(e.sec), false);
  }
}

/** A width that fits the format's text (px at the list's monospace size), for a Time column not sized by hand. */
export function timeColumnWidth(format: TimeFormat): number {
  switch (format) {
    case 'absolute': case 'utc': return 196;
    case 'epoch': return 150;
    case 'time-of-day': case 'utc-time-of-day': return 112;
    default: return 92;
  }
}
