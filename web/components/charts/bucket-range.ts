// A chart bucket as a time range of frames: its exact bounds (from the capture's first timestamp, to the
// nanosecond), and the display filter that selects its frames. Buckets are half-open, [from, to); the
// last one runs to the end of the capture, as the time series puts every later frame in it.
import { isoNanos } from '../../../decoders/analysis/time.ts';
import type { TimeSeries } from '../../../workers/api.ts';

export interface BucketRange {
  index: number;
  /** ISO 8601 with nanoseconds. */
  from: string;
  /** Null for the last bucket (open-ended). */
  to: string | null;
  /** Seconds from the capture's start, for labels. */
  startSec: number;
  endSec: number;
}

const NS = 1_000_000_000n;

/** `2025-11-24T16:00:00.000000001Z` -> nanoseconds since 1970, or null. */
export function isoToNs(iso: string): bigint | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(ms)) return null;
  return BigInt(ms / 1000) * NS + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
}

function nsToIso(ns: bigint): string {
  const sec = ns / NS;
  const rem = ns % NS;
  return rem < 0n ? isoNanos(Number(sec - 1n), Number(rem + NS)) : isoNanos(Number(sec), Number(rem));
}

export function bucketRange(ts: TimeSeries, index: number): BucketRange | null {
  if (!Number.isInteger(index) || index < 0 || index >= ts.buckets.length || ts.startTime === null) return null;
  const start = isoToNs(ts.startTime);
  if (start === null) return null;
  const width = BigInt(Math.round(ts.bucketSec * 1e9));
  const last = index === ts.buckets.length - 1;
  return {
    index,
    from: nsToIso(start + BigInt(index) * width),
    to: last ? null : nsToIso(start + BigInt(index + 1) * width),
    startSec: index * ts.bucketSec,
    endSec: (index + 1) * ts.bucketSec,
  };
}

export function rangeFilter(r: BucketRange): string {
  return r.to === null ? `frame.time >= "${r.from}"` : `frame.time >= "${r.from}" && frame.time < "${r.to}"`;
}
