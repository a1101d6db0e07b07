// Words and numbers of the Paths pane and the Path section: cause names, points, times between copies.
import type { PathCause } from '../../decoders/analysis/paths.ts';

export const CAUSE_LABEL: Record<PathCause, string> = { sender: 'sender', offload: 'offload', path: 'path', lost: 'lost' };

export const CAUSE_MEANING: Record<PathCause, string> = {
  sender: 'already bad at the first point: the sending stack computed it',
  offload: 'good or partial at one point, bad at the next, the bytes it covers unchanged: the device between (checksum offload) computed it wrongly',
  path: 'good or partial at one point, bad at the next, the bytes it covers changed: corrupted on the way',
  lost: 'seen at one point and not at the next, which was capturing then: lost between them',
};

/** `from → to` of a finding; the sender side (no earlier point) reads "(sending stack)". */
export function hop(from: string | null, to: string): string {
  return `${from ?? '(sending stack)'} → ${to}`;
}

/** Seconds between two copies, as the path shows it: `+0`, `+250 µs`, `+1.25 ms`, `+2.5 s`, `−3 ms`. */
export function sinceText(sec: number | null): string {
  if (sec === null) return '';
  if (sec === 0) return '+0';
  const sign = sec < 0 ? '−' : '+';
  const a = Math.abs(sec);
  const p = (x: number): string => String(Number(x.toPrecision(3)));
  if (a < 1e-3) return `${sign}${p(a * 1e6)} µs`;
  if (a < 1) return `${sign}${p(a * 1e3)} ms`;
  return `${sign}${p(a)} s`;
}

/** Examples [capture, frame] grouped by capture, in the order they come. */
export function byCapture(examples: ReadonlyArray<readonly [string, number]>): Array<[string, number[]]> {
  const m = new Map<string, number[]>();
  for (const [c, n] of examples) {
    const l = m.get(c);
    if (l) l.push(n);
    else m.set(c, [n]);
  }
  return [...m.entries()];
}

/** A clock offset in seconds as the pane shows it (`+3.7 s`, `0`, `unknown`). */
export function offsetText(sec: number | null): string {
  if (sec === null) return 'unknown';
  return sec === 0 ? '0' : sinceText(sec);
}
