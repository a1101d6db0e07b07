// The offload report's groups (check × verdict × sending address), kept up to date as frames arrive:
// the Offload pane asks for them a few times a second while a capture loads, and rescanning every frame
// each time cost O(frames) per answer (about 20 ms at 1.7 M frames, 100 ms at 7.6 M, on the thread
// that is decoding).
import { CHECK_NAMES } from '../summary.ts';
import type { FrameIndex } from './frame-index.ts';
import { PF_CHECKSUM_NOT_READY } from './frame-meta.ts';
import type { OffloadGroup } from './types.ts';

const VERDICTS = ['bad', 'partial', 'zero'] as const;
const ORDER = { bad: 0, partial: 1, zero: 2 };

export class OffloadTally {
  /** Frames (store indices) already counted. */
  private scanned = 0;
  /** By (sending address id, verdict, check): distinct ids are distinct addresses, so one group per text. */
  private groups = new Map<number, OffloadGroup>();
  /** Frames with a bad, partial, notable zero verdict; zero verdicts that are "no checksum". */
  private frames = { bad: 0, partial: 0, zero: 0 };
  private noChecksum = 0;
  /** What the capture itself says: partial checksums it marks "not ready" (expected), super-frames. */
  private capture = { notReady: 0, superframes: 0 };

  constructor(private readonly sampleSize = 10) {}

  /** Counts the frames added since the last call. */
  update(e: FrameIndex): void {
    const st = e.store;
    const count = e.settledCount;
    if (count < this.scanned || !e.retainsFrames) {
      // The frames were replaced, or are not kept (the store holds the latest frame only): count afresh.
      this.scanned = 0;
      this.groups = new Map();
      this.frames = { bad: 0, partial: 0, zero: 0 };
      this.noChecksum = 0;
      this.capture = { notReady: 0, superframes: 0 };
    }
    const checks = CHECK_NAMES.length;
    for (let i = this.scanned; i < count; i++) {
      if (e.isSuperframe(i)) this.capture.superframes++;
      const zero = st.zeroMaskOf(i);
      if ((st.badMaskOf(i) | st.partialMaskOf(i) | zero) === 0) continue;
      if (st.partialMaskOf(i) !== 0 && (e.extras.flags(i) & PF_CHECKSUM_NOT_READY) !== 0) this.capture.notReady++;
      const notable = zero !== 0 ? e.notableZeroMask(i) : 0;
      if (zero !== notable) this.noChecksum += popcount(zero & ~notable);
      const src = st.depth[i] > 0 ? st.outerSrc[i] : st.innerSrcOf(i);
      for (let v = 0; v < VERDICTS.length; v++) {
        const verdict = VERDICTS[v];
        let m = verdict === 'zero' ? notable : verdict === 'bad' ? st.badMaskOf(i) : st.partialMaskOf(i);
        if (m !== 0) this.frames[verdict]++;
        while (m !== 0) {
          const slot = 31 - Math.clz32(m);
          m &= ~(1 << slot);
          const key = ((src + 1) * VERDICTS.length + v) * checks + slot;
          let g = this.groups.get(key);
          if (!g) {
            g = { check: CHECK_NAMES[slot], verdict, source: src >= 0 ? e.addrs.text(src) : '(no IP source)', frames: 0, sample: [] };
            this.groups.set(key, g);
          }
          g.frames++;
          if (g.sample.length < this.sampleSize) g.sample.push(i + 1);
        }
      }
    }
    this.scanned = count;
  }

  /** Frame counts so far (a copy). */
  frameCounts(): { bad: number; partial: number; zero: number } {
    return { ...this.frames };
  }

  /** Frames with a partial checksum the capture marks "checksum not ready", and super-frames, so far (a copy). */
  captureCounts(): { notReady: number; superframes: number } {
    return { ...this.capture };
  }

  /** "No checksum" zero verdicts so far. */
  noChecksumCount(): number {
    return this.noChecksum;
  }

  /** The groups so far, most urgent first; copies, so a caller's list does not change under it. */
  report(): OffloadGroup[] {
    return [...this.groups.values()].map((g) => ({ ...g, sample: g.sample.slice() })).sort((a, b) =>
      ORDER[a.verdict] - ORDER[b.verdict] || b.frames - a.frames
      || (a.check < b.check ? -1 : a.check > b.check ? 1 : 0) || (a.source < b.source ? -1 : 1));
  }
}

function popcount(m: number): number {
  let n = 0;
  for (; m !== 0; m &= m - 1) n++;
  return n;
}
