// The comparison of the worker's open captures (workers/paths-api.ts). Kept apart from the analyzer worker:
// it holds the last PathAnalysis (its per-frame arrays, ~21 bytes a frame) as long as the same captures are
// open, and a newer comparison, or another set of captures, aborts one still running.
import { analyzePaths, type Folding, type PacketPath, type PathAnalysis } from '../decoders/analysis/paths.ts';
import { copyDiff, type CopyBytes } from '../decoders/analysis/paths-cover.ts';
import { EPB_HAS_PACKET_ID } from '../decoders/capture/types.ts';
import type { Engine } from '../decoders/analysis/engine.ts';
import type { FrameBytesSource } from '../decoders/filter/runner.ts';
import { DIFF_BYTES, type PathDiff, type PathsProgress, type PathsReport, type PathsScope } from './paths-api.ts';

export interface OpenSession {
  engine: Engine;
  frames: FrameBytesSource;
  name: string;
}

interface Run {
  sessions: readonly OpenSession[];
  window: number;
  abort: AbortController;
  result: Promise<{ analysis: PathAnalysis; report: PathsReport }>;
}

export class PathsService {
  private run: Run | null = null;

  /**
   * `sessions`: the open captures, in order (a new array whenever the set changes); `loading`: whether one of
   * them is still being read.
   */
  constructor(private readonly sessions: () => readonly OpenSession[], private readonly loading: () => boolean) {}

  /** Another set of captures is open: the comparison of the last one is dropped (one still running stops). */
  forget(): void {
    this.run?.abort.abort();
    this.run = null;
  }

  scope(): PathsScope {
    const s = this.sessions();
    const packetIds = s.map((x) => x.engine.extras.any(EPB_HAS_PACKET_ID));
    return { captures: s.map((x) => x.name), packetIds, comparable: s.length >= 2 || packetIds.some(Boolean) };
  }

  async report(window: number, onProgress?: (p: PathsProgress) => void): Promise<PathsReport> {
    const sessions = this.sessions();
    if (sessions.length === 0) throw new Error('no capture is open');
    if (this.loading()) throw new Error('a capture is still loading: compare once it has loaded');
    const r = this.run;
    if (r !== null && r.sessions === sessions && r.window === window && !r.abort.signal.aborted) return (await r.result).report;
    r?.abort.abort();
    const abort = new AbortController();
    const result = analyzePaths(sessions.map((s) => ({ name: s.name, index: s.engine, bytes: s.frames })), {
      window, signal: abort.signal, onProgress: onProgress && ((p) => void onProgress(p)),
    }).then((analysis) => {
      const report = analysis.toJson() as PathsReport;
      report.warnings = [];
      sessions.forEach((s, c) => {
        for (const w of s.engine.result?.warnings ?? []) report.warnings.push({ capture: report.captures[c], offset: w.offset, frame: w.frame, message: w.message });
      });
      return { analysis, report };
    });
    const run: Run = { sessions, window, abort, result };
    this.run = run;
    try {
      return (await result).report;
    } catch (e) {
      if (this.run === run) this.run = null;
      throw e;
    }
  }

  /** The analysis of the open captures, if one has been made (null when another set is open now). */
  private async current(): Promise<PathAnalysis | null> {
    const r = this.run;
    if (r === null || r.sessions !== this.sessions()) return null;
    try {
      return (await r.result).analysis;
    } catch {
      return null;
    }
  }

  async pathOf(capture: number, frame: number): Promise<PacketPath | null> {
    const a = await this.current();
    return a === null ? null : a.pathOf(capture, frame);
  }

  async diff([ca, na]: [number, number], [cb, nb]: [number, number]): Promise<PathDiff> {
    const s = this.sessions();
    const a = await copyOf(s, ca, na), b = await copyOf(s, cb, nb);
    const d = copyDiff(a, b);
    const slice = (x: Uint8Array, at: number, n: number): number[] => Array.from(x.subarray(at, at + Math.min(n, DIFF_BYTES)));
    return { ...d, ranges: d.ranges.map((r) => ({ ...r, aBytes: slice(a.bytes, r.a, r.aLength), bBytes: slice(b.bytes, r.b, r.bLength) })) };
  }

  folding(capture: number): Folding {
    return session(this.sessions(), capture).engine.folding();
  }
}

function session(s: readonly OpenSession[], c: number): OpenSession {
  const x = s[c];
  if (x === undefined) throw new RangeError(`no capture ${c}: ${s.length} ${s.length === 1 ? 'is' : 'are'} open`);
  return x;
}

async function copyOf(s: readonly OpenSession[], c: number, n: number): Promise<CopyBytes> {
  const x = session(s, c);
  const loc = x.engine.frameLocation(n);
  const bytes = await x.frames.read(loc.offset, loc.caplen);
  return { bytes: bytes.subarray(0, Math.min(bytes.length, loc.caplen)), origlen: loc.origlen, linktype: loc.linktype };
}
