// Our flows that tshark merges with another: the same protocol, addresses and ports in another tenant (tshark
// keys conversations without the tunnel), by flow id. Differential tests compare per-connection state (TCP
// analysis, stream numbers, relative sequence numbers) only outside them.
import type { FrameIndex } from '../../decoders/analysis/frame-index.ts';

export function flowsTsharkMerges(e: FrameIndex): Set<number> {
  const fl = e.flows;
  const groups = new Map<string, number[]>();
  for (let id = 0; id < fl.count; id++) {
    const a = `${e.addrs.text(fl.addrA(id))}:${fl.portA(id)}`, b = `${e.addrs.text(fl.addrB(id))}:${fl.portB(id)}`;
    const key = `${fl.proto(id)}/${a < b ? `${a}|${b}` : `${b}|${a}`}`;
    const ids = groups.get(key);
    if (ids === undefined) groups.set(key, [id]);
    else ids.push(id);
  }
  const out = new Set<number>();
  for (const ids of groups.values()) if (ids.length > 1) for (const id of ids) out.add(id);
  return out;
}
