// checksum.<verdict>.check: the check names the Offload pane shows, as a filter field. `inner.tcp` is the
// TCP inside one tunnel whatever else the frame holds (tcp.checksum.status#n counts TCP layers, not
// tunnels); checksum.zero.check leaves out UDP-over-IPv4 "no checksum" as checksum.zero does; the column
// tier decides every frame and agrees with the byte tier; the details offer each check as a filter.
import { describe, expect, it } from 'vitest';
import {
  buildFrame, eth, geneve, ipv4, ipv6, nvgre, payload, tcp, udp, vxlan,
} from '../../scripts/lib/packet-builder.ts';
import type { Layer } from '../../scripts/lib/packet-builder.ts';
import { verdictFilter } from '../analysis/check-filter.ts';
import { Engine } from '../analysis/engine.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { writePcapng, type PcapngPacket } from '../capture/pcapng-writer.ts';
import { annotateFilters, checkFilter, indexNode } from './index.ts';
import { compile } from './compile.ts';
import { FilterError } from './errors.ts';
import { PENDING, resolvePending } from './runner.ts';

const E = () => eth({ src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' });
const v4 = (src: string, o: { checksum?: 'zero' | 'bad' } = {}) => ipv4({ src, dst: '192.0.2.99', ...o });

const FRAMES: [string, Layer[]][] = [
  ['plain-bad', [E(), v4('10.0.0.1'), tcp({ sport: 1, dport: 2, checksum: 'bad' }), payload(8)]],
  ['nvgre-bad', [E(), v4('192.168.0.1'), nvgre({ vsid: 5001, flowId: 1 }), E(), v4('10.0.0.2'), tcp({ sport: 3, dport: 4, checksum: 'bad' }), payload(8)]],
  // Two tunnels: both UDP checksums 0 over IPv4 ("no checksum"), the TCP two tunnels deep is bad.
  ['vxlan-in-vxlan', [E(), v4('192.168.1.1'), udp({ sport: 40000, checksum: 'zero' }), vxlan(300), E(),
    v4('172.16.0.1'), udp({ sport: 40001, checksum: 'zero' }), vxlan(301), E(), v4('10.0.0.3'), tcp({ sport: 5, dport: 6, checksum: 'bad' }), payload(8)]],
  // VXLAN over IPv6 with a zero UDP checksum: not UDP over IPv4, so a finding; the inner TCP is partial.
  ['vxlan-v6', [E(), ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }), udp({ sport: 40002, checksum: 'zero' }), vxlan(302), E(),
    v4('10.0.0.4'), tcp({ sport: 7, dport: 8, checksum: 'partial' }), payload(8)]],
  ['geneve-inner-v6-zero', [E(), v4('192.168.2.1'), udp({ sport: 40003, checksum: 'zero' }), geneve(77), E(),
    ipv6({ src: '2001:db8::3', dst: '2001:db8::4' }), udp({ sport: 9, dport: 10, checksum: 'zero' }), payload(8)]],
  ['ipv4-header-zero', [E(), v4('10.0.0.5', { checksum: 'zero' }), udp({ sport: 11, dport: 12 }), payload(8)]],
  ['two-bad', [E(), v4('192.168.0.3', { checksum: 'bad' }), nvgre({ vsid: 5002, flowId: 2 }), E(), v4('10.0.0.6'), tcp({ sport: 13, dport: 14, checksum: 'bad' }), payload(8)]],
];

async function engineOf(): Promise<{ e: Engine; bytes: Uint8Array }> {
  const packets: PcapngPacket[] = FRAMES.map(([, layers], i) => {
    const f = buildFrame(layers);
    return { tsSec: 1764000000 + i, tsNsec: 0, data: f.data.subarray(0, f.caplen), origlen: f.origlen };
  });
  const bytes = writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], packets);
  const e = new Engine();
  await e.load(new MemorySource(bytes), 't.pcapng');
  return { e, bytes };
}

const built = engineOf();

/** Frame names a filter selects, and whether the column tier alone decided every frame. */
async function names(f: string): Promise<{ names: string[]; columns: boolean }> {
  const { e, bytes } = await built;
  const run = e.filters.get(f);
  const columns = run.pending === 0;
  // Byte tier on every frame: it must say the same as the columns.
  const st = e.store;
  for (let i = 0; i < st.count; i++) {
    if (run.state[i] === PENDING) continue;
    expect(run.test(i, bytes.subarray(st.offset[i], st.offset[i] + st.caplen[i])), `${f} on ${FRAMES[i][0]}`).toBe(run.state[i] === 1);
  }
  await resolvePending(e, run, new MemorySource(bytes));
  return { names: FRAMES.filter((_, i) => run.state[i] === 1).map(([n]) => n), columns };
}

describe('checksum.<verdict>.check', () => {
  it('selects a check by tunnel depth, which tcp.checksum.status cannot', async () => {
    expect(await names('checksum.bad.check == "tcp"')).toEqual({ names: ['plain-bad'], columns: true });
    expect(await names('checksum.bad.check == "inner.tcp"')).toEqual({ names: ['nvgre-bad', 'two-bad'], columns: true });
    expect(await names('checksum.bad.check == "inner.inner.tcp"')).toEqual({ names: ['vxlan-in-vxlan'], columns: true });
    expect((await names('tcp.checksum.status == bad')).names).toEqual(['plain-bad', 'nvgre-bad', 'vxlan-in-vxlan', 'two-bad']);
    expect((await names('tcp.checksum.status#1 == bad')).names).toEqual(['plain-bad', 'nvgre-bad', 'vxlan-in-vxlan', 'two-bad']);
    expect((await names('checksum.partial.check == "inner.tcp"')).names).toEqual(['vxlan-v6']);
  });

  it('zero: only the zeros that are findings, as checksum.zero', async () => {
    expect((await names('checksum.zero.check == "udp"')).names).toEqual(['vxlan-v6']);
    expect((await names('checksum.zero.check == "inner.udp"')).names).toEqual(['geneve-inner-v6-zero']);
    expect((await names('checksum.zero.check == "ipv4"')).names).toEqual(['ipv4-header-zero']);
    expect((await names('checksum.zero')).names).toEqual(['vxlan-v6', 'geneve-inner-v6-zero', 'ipv4-header-zero']);
    // The verdict is still zero for "no checksum" (CLI, *.checksum.status): only the finding is narrower.
    expect((await names('udp.checksum.status == zero')).names).toEqual(['vxlan-in-vxlan', 'vxlan-v6', 'geneve-inner-v6-zero']);
  });

  it('one occurrence per check: ==, !=, ===, in, contains; words and protocol names as values', async () => {
    expect((await names('checksum.bad.check == "ipv4"')).names).toEqual(['two-bad']);
    expect((await names('checksum.bad.check === "inner.tcp"')).names).toEqual(['nvgre-bad']);
    expect((await names('checksum.bad.check != "ipv4"')).names).toEqual(['plain-bad', 'nvgre-bad', 'vxlan-in-vxlan']);
    expect((await names('checksum.bad.check in {"tcp" "inner.inner.tcp"}')).names).toEqual(['plain-bad', 'vxlan-in-vxlan']);
    expect((await names('checksum.bad.check contains "inner"')).names).toEqual(['nvgre-bad', 'vxlan-in-vxlan', 'two-bad']);
    expect((await names('checksum.bad.check == inner.tcp')).names).toEqual(['nvgre-bad', 'two-bad']);
    expect((await names('checksum.bad.check == tcp')).names).toEqual(['plain-bad']);
    expect((await names('checksum.unverified.check')).names).toEqual([]);
  });

  it('refuses a name that is no check, and ordering', () => {
    const err = (f: string): FilterError => {
      try {
        compile(f);
      } catch (e) {
        if (e instanceof FilterError) return e;
        throw e;
      }
      throw new Error(`${f} compiled`);
    };
    expect(err('checksum.bad.check == "inner.foo"').message).toMatch(/'inner\.foo' is not a check name: use ipv4, tcp, udp, gre, icmp, icmpv6/);
    expect(err('checksum.bad.check == inner.inner.inner.tcp').message).toMatch(/not a check name/);
    expect(err('checksum.zero.check > "tcp"').message).toMatch(/does not order/);
    expect(checkFilter('checksum.bad.check == "inner.tcp" || checksum.zero.check == "udp"')).toEqual({ error: null, needsBytes: false });
  });

  it('the offered filter of every check and verdict of the offload report selects exactly its frames', async () => {
    const { e } = await built;
    // The report groups by sender too: the filter selects a check's frames from every sender.
    const byCheck = new Map<string, number[]>();
    for (const g of e.offload().groups) {
      const k = verdictFilter(g.verdict, g.check);
      byCheck.set(k, [...(byCheck.get(k) ?? []), ...g.sample].sort((a, b) => a - b));
    }
    expect([...byCheck.keys()].sort()).toEqual([
      'checksum.bad.check == "inner.inner.tcp"', 'checksum.bad.check == "inner.tcp"', 'checksum.bad.check == "ipv4"',
      'checksum.bad.check == "tcp"', 'checksum.partial.check == "inner.tcp"', 'checksum.zero.check == "inner.udp"',
      'checksum.zero.check == "ipv4"', 'checksum.zero.check == "udp"',
    ]);
    for (const [f, frames] of byCheck) expect((await names(f)).names, f).toEqual(frames.map((n) => FRAMES[n - 1][0]));
  });

  it('the details list each check under its flag, with that filter', async () => {
    const { e, bytes } = await built;
    const n = FRAMES.findIndex(([name]) => name === 'two-bad') + 1;
    const node = indexNode(e, n);
    expect(node).not.toBeNull();
    annotateFilters([node!], bytes);
    const flag = node!.children!.find((k) => k.field === 'checksum.bad');
    expect(flag?.children?.map((k) => [k.label, k.filter])).toEqual([
      ['Check with a bad checksum: ipv4', 'checksum.bad.check == "ipv4"'],
      ['Check with a bad checksum: inner.tcp', 'checksum.bad.check == "inner.tcp"'],
    ]);
    const v6 = indexNode(e, FRAMES.findIndex(([name]) => name === 'vxlan-v6') + 1);
    expect(v6!.children!.find((k) => k.field === 'checksum.zero')?.children?.map((k) => k.value)).toEqual(['udp']);
    // "No checksum" zeros are no flag: the frame with only those and a bad TCP has checksum.bad alone.
    const vv = indexNode(e, FRAMES.findIndex(([name]) => name === 'vxlan-in-vxlan') + 1);
    expect(vv!.children!.map((k) => k.field)).toEqual(['tenant.encap', 'tenant.vnid', 'checksum.bad']);
  });
});
