// The compact store gives back exactly what was pushed: offsets past 4 GiB (32-bit low words plus a
// run table of high words), times as nanoseconds from a base (far-off times in a side table), and
// the on-demand legacy columns agree with the accessors.
import { describe, expect, it } from 'vitest';
import { newEpbOptions, type FrameRecord } from './capture/types.ts';
import { COLUMN_NAMES, FrameStore } from './store.ts';
import { newSummary } from './summary.ts';

function rec(fileOffset: number, hasTime: boolean, tsSec: number, tsNsec: number): FrameRecord {
  return {
    buf: new Uint8Array(0), dataOffset: 0, n: 1, caplen: 60, origlen: 60, linktype: 1, tsSec, tsNsec, hasTime,
    fileOffset, recordOffset: fileOffset - 16, interfaceId: 0, interfaceIndex: 0, epbFlags: 0, comment: null, epb: newEpbOptions(), interfaces: [],
  };
}

describe('FrameStore', () => {
  const G = 2 ** 32;
  const frames: Array<[number, boolean, number, number]> = [
    [24, true, 1_700_000_000, 5],
    [G - 60, true, 1_700_000_000, 999_999_999],
    [G + 16, false, 0, 0],
    [G + 100, true, 1_700_000_001, 0],
    [3 * G + 7, true, -5, 123], // far before the base: side table
    [5 * G + 1, true, 1_700_000_000 + 8_000_000, 1], // 92 days later: still exact as nanoseconds
    [5 * G + 99, true, 4_000_000_000, 42], // far after
    [2 ** 52 + 3, true, 1_699_999_999, 999_999_999],
  ];

  it('keeps offsets and times exact', () => {
    const st = new FrameStore(2);
    const s = newSummary();
    for (const [o, h, sec, ns] of frames) st.push(rec(o, h, sec, ns), s, -1, -1, -1, -1, -1, -1, 0);
    frames.forEach(([o, h, sec, ns], i) => {
      expect(st.offsetOf(i)).toBe(o);
      expect(st.hasTimeOf(i)).toBe(h);
      expect([st.secOf(i), st.nsecOf(i)]).toEqual(h ? [sec, ns] : [0, 0]);
      expect(st.offset[i]).toBe(o);
      expect(st.tsSec[i]).toBe(h ? sec : 0);
      expect(st.tsNsec[i]).toBe(h ? ns : 0);
      expect(st.hasTime[i]).toBe(h ? 1 : 0);
    });
    expect(st.tOdd.size).toBe(2);
    // Appending after the legacy columns were built extends them.
    st.push(rec(6 * G, true, 1_700_000_002, 7), s, -1, -1, -1, -1, -1, -1, 0);
    expect(st.offset[frames.length]).toBe(6 * G);
    expect(st.tsNsec[frames.length]).toBe(7);
  });

  it('costs at most 66 bytes of columns per frame', () => {
    // 64, and 2 for the TCP analysis flags (decoders/analysis/tcp-analysis.ts).
    expect(new FrameStore().bytesPerFrame()).toBeLessThanOrEqual(66);
  });

  it('has exactly the columns of its list, all grown together and widened where ids need it', () => {
    const st = new FrameStore(2);
    const own = (): string[] => Object.entries(st).filter(([, v]) => ArrayBuffer.isView(v)).map(([k]) => k);
    // Every per-frame typed array is in COLUMN_NAMES: the parallel merge and the memory budget go by it.
    expect(own().sort()).toEqual([...COLUMN_NAMES].sort());
    const s = newSummary();
    for (let k = 0; k < 5; k++) st.push(rec(100 * k, true, 1_700_000_000, k), s, 40_000 + k, -1, -1, -1, -1, -1, 0);
    for (const name of COLUMN_NAMES) expect(st[name].length, name).toBe(st.capacity);
    expect(Array.from(st.tenant.subarray(0, 5))).toEqual([40_000, 40_001, 40_002, 40_003, 40_004]);
    expect(st.tenant).toBeInstanceOf(Int32Array);
    expect(st.flow).toBeInstanceOf(Int16Array);
    expect(st.bytesPerFrame()).toBe(COLUMN_NAMES.reduce((n, name) => n + st[name].BYTES_PER_ELEMENT, 0));
  });
});
