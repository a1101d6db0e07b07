// Reading many frames' bytes back from the file in few reads: frames that follow each other in the
// file (in order, gaps below maxGap, the whole below maxRead) are fetched by one read. Used by the
// export and by the display filter's byte tier.
import type { FrameStore } from '../store.ts';

export interface Batch {
  /** list[k..end) are in the batch. */
  end: number;
  /** Its bytes in the file: [start, stop). */
  start: number;
  stop: number;
}

/**
 * The batch that starts at list[k]; list holds store indices plus `base` (1 for frame numbers, 0 for
 * store indices).
 */
export function readBatch(st: FrameStore, list: ArrayLike<number>, k: number, base: number, maxGap: number, maxRead: number): Batch {
  const first = list[k] - base;
  const start = st.offsetOf(first);
  let stop = start + st.caplen[first];
  let j = k + 1;
  while (j < list.length) {
    const i = list[j] - base;
    const o = st.offsetOf(i);
    const e = o + st.caplen[i];
    if (o < stop || o - stop > maxGap || e - start > maxRead) break;
    stop = e;
    j++;
  }
  return { end: j, start, stop };
}
