// Statistics ▸ Capture File Properties: the file (format, compression, size), its pcapng sections, interfaces
// with their options, packet counts and Interface Statistics Block counters, and the time span and rates, as
// Wireshark's dialog and capinfos show them. Built once when asked, from the load's result and the index.

import type { InterfaceInfo } from '../capture/types.ts';
import type { InterfaceStatistics, SectionInfo } from '../capture/isb.ts';
import type { FrameIndex } from './frame-index.ts';

export interface InterfaceProperties extends InterfaceInfo {
  /** Frames captured on it. */
  packets: number;
  /** Its Interface Statistics Blocks, in file order (the last one holds the final counters). */
  statistics: InterfaceStatistics[];
}

export interface FileProperties {
  name: string;
  /** Bytes of the file as given (compressed for gzip); -1 when unknown. */
  size: number;
  format: 'pcap' | 'pcapng' | null;
  gzip: boolean;
  sections: SectionInfo[];
  interfaces: InterfaceProperties[];
  packets: number;
  /** Captured bytes, and bytes on the wire (capinfos' data size). */
  capturedBytes: number;
  wireBytes: number;
  firstTime: string | null;
  lastTime: string | null;
  /** Seconds from the first to the last packet. */
  elapsed: number;
  /** Per second of elapsed time (0 when it is 0), and the mean wire length. */
  packetsPerSec: number;
  bytesPerSec: number;
  bitsPerSec: number;
  averageSize: number;
  /** The load is still running: figures are those so far. */
  loading: boolean;
}

export function fileProperties(ix: FrameIndex, name: string, size: number): FileProperties {
  const r = ix.result;
  const st = ix.store;
  const ifaces = ix.interfaces();
  const counts = new Array<number>(ifaces.length).fill(0);
  let wire = 0;
  for (let i = 0; i < st.count; i++) {
    counts[ix.interfaceIndex(i + 1)]++;
    wire += st.origlen[i];
  }
  const stats = r?.statistics ?? [];
  const elapsed = Number.isNaN(ix.minSec) ? 0 : ix.maxSec - ix.minSec + (ix.maxNsec - ix.minNsec) / 1e9;
  const packets = st.count;
  const rate = (x: number): number => (elapsed > 0 ? x / elapsed : 0);
  return {
    name, size, format: r?.format ?? null, gzip: r?.gzip ?? false, sections: r?.sections ?? [],
    interfaces: ifaces.map((info, k) => ({ ...info, packets: counts[k], statistics: stats.filter((s) => s.interfaceIndex === k) })),
    packets, capturedBytes: ix.totalBytes, wireBytes: wire, firstTime: ix.firstTime(), lastTime: ix.lastTime(), elapsed,
    packetsPerSec: rate(packets), bytesPerSec: rate(wire), bitsPerSec: rate(wire * 8), averageSize: packets > 0 ? wire / packets : 0,
    loading: r === null,
  };
}
