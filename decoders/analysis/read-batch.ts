// Reading many frames' bytes back from the file in few reads: frames that follow each other in the
// file (in order, gaps below maxGap, the whole below maxRead) are fetched by one read. Used by the
// export and by the display filter's byte tier.
import type { FrameStore } from '../store.ts';

/**
 * The end (exclusive) of the batch that starts at list[k]: list holds store indices plus `base`
 * (1 for frame numbers, 0 for store indices). The batch's bytes are [offsetOf(first), batchBytesEnd).
 */
export function batchEnd(st: FrameStore, list: ArrayLike<number>, k: number, base: number, maxGap: number, maxRead: number): number {
  const first = list[k] - base;
  const start = st.offsetOf(first);
  let end = start + st.caplen[first];
  let j = k + 1;
  while (j < list.length) {
    const i = list[j] - base;
    const o = st.offsetOf(i);
    const e = o + st.caplen[i];
    if (o < end || o - end > maxGap || e - start > maxRead) break;
    end = e;
    j++;
  }
  return j;
}

/** File offset just past the last frame of the batch list[k..j). */
export function batchBytesEnd(st: FrameStore, list: ArrayLike<number>, j: number, base: number): number {
  const last = list[j - 1] - base;
  return st.offsetOf(last) + st.caplen[last];
}
