// What the packet list's row menu needs to know of one frame to build its filters (the columns'
// fields, the conversation) and to go where it points (the frame that reassembled it): the CLI's
// --frames line (FrameJson) plus the frame's tenant key.
import type { FrameIndex } from './frame-index.ts';
import { frameJson } from './report.ts';
import type { FrameJson } from './types.ts';

export interface FrameFacts extends FrameJson {
  /** Tenant key (`vxlan:300`, `gre:`), null for plain traffic. An IP fragment's is its datagram's. */
  tenant: string | null;
  /** tcp.stream and udp.stream of the frame (decoders/analysis/streams.ts), -1 without. */
  tcpStream: number;
  udpStream: number;
}

export function frameFacts(e: FrameIndex, n: number): FrameFacts {
  const i = e.checkFrame(n);
  const t = e.store.tenant[i];
  return {
    ...frameJson(e, i),
    tenant: t >= 0 ? e.tenants.key(t) : null,
    tcpStream: e.streams.tcpOf(i),
    udpStream: e.streams.udpOf(i),
  };
}
