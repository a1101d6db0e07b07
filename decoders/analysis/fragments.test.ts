// IP reassembly through the engine: outer (underlay) and inner (tenant) fragments, IPv4 and IPv6, in any
// order, duplicated, overlapping, missing, timed out; tenants that reuse inner addresses and ids.
import { describe, expect, it } from 'vitest';
import { fragmentFrame, fragmentLayers } from '../../scripts/lib/fragment.ts';
import {
  buildFrame, eth, geneve, ipv4, ipv6, nvgre, payload, tcp, udp, vxlan, type Layer,
} from '../../scripts/lib/packet-builder.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { concat, pcapHeader, pcapRecord } from '../capture/test-bytes.ts';
import { Engine, type EngineOptions } from './engine.ts';
import type { FragmentLimits } from './fragments.ts';
import { resolvePending } from '../filter/runner.ts';
import { frameJson, summaryJson } from './report.ts';
import { copySummary, newSummary, type Summary, type TreeNode } from '../summary.ts';

const ALL = { tenant: null, sort: null, filter: '' } as const;
const HOST_A = { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' };
const VM = { src: '00:15:5d:aa:00:01', dst: '00:15:5d:aa:00:02' };

/** Outer Ethernet + IPv4 + NVGRE around a tenant's TCP segment of `size` payload bytes. */
function nvgreTcp(vsid: number, size: number, o: { id?: number; tcpChecksum?: 'good' | 'bad'; seq?: number } = {}): Layer[] {
  return [
    eth(HOST_A), ipv4({ src: '192.168.10.11', dst: '192.168.10.12', id: o.id ?? 0x100 }), nvgre({ vsid, flowId: 7 }),
    eth(VM), ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id: 0x2222 }),
    tcp({ sport: 40000, dport: 443, flags: 'PA', seq: o.seq ?? 1000, checksum: o.tcpChecksum ?? 'good' }), payload(size),
  ];
}

function pcap(frames: Uint8Array[], times?: number[]): Uint8Array {
  return concat(pcapHeader(), ...frames.map((data, k) => pcapRecord({ sec: 1_700_000_000 + (times?.[k] ?? k), frac: 0, data })));
}

async function open(bytes: Uint8Array, opts: EngineOptions = {}): Promise<Engine> {
  const e = new Engine(opts);
  await e.load(new MemorySource(bytes, 777), 'x.pcap');
  return e;
}

/** The underlay packet of an NVGRE frame fragmented at the outer IPv4 header (offset 14); its id is the layer's. */
function outerFragments(layers: Layer[], max = 1000): Uint8Array[] {
  return fragmentFrame(buildFrame(layers).data, 14, max);
}

describe('IP reassembly in the engine', () => {
  it('an underlay-fragmented NVGRE packet: the completing frame carries the tenant, flow and inner checks', async () => {
    const frags = outerFragments(nvgreTcp(5001, 2000));
    expect(frags.length).toBe(3);
    const e = await open(pcap(frags));
    expect(e.frames).toBe(3);
    const rows = e.rows(0, 3, ALL).rows;
    // Every fragment frame counts for the tenant and the flow.
    expect(rows.map((r) => r.tenantKey)).toEqual(['nvgre:5001', 'nvgre:5001', 'nvgre:5001']);
    const t = e.tenantStats();
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ key: 'nvgre:5001', frames: 3, flows: 1 });
    const flows = e.flowStats(null);
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({ frames: 3, firstFrame: 1, lastFrame: 3, a: '10.0.0.5', b: '10.0.0.6' });
    // The inner TCP checksum is verified once, on the frame that completes the datagram.
    const checks = e.checks();
    expect(checks['inner.tcp']).toEqual({ good: 1, bad: 0, partial: 0, zero: 0, unverified: 0, noChecksum: 0 });
    expect(checks.ipv4.good).toBe(3);
    expect(rows[2].protocol).toBe('TCP');
    expect(rows[2].src).toBe('10.0.0.5');
    expect(rows[2].checks).toBe('ok');
    // The fragments that do not complete it show only what they are (no unverified inner check).
    expect(rows[0].checks).toBe('ok');
    expect(rows[0].protocol).toBe('IPv4');
    expect(e.fragments.completed).toBe(1);
    expect(e.fragments.incomplete).toBe(0);
  });

  it('a bad inner checksum inside a fragmented packet is found and flags the completing frame', async () => {
    const frags = outerFragments(nvgreTcp(5001, 2000, { tcpChecksum: 'bad' }));
    const e = await open(pcap(frags));
    expect(e.checks()['inner.tcp']).toEqual({ good: 0, bad: 1, partial: 0, zero: 0, unverified: 0, noChecksum: 0 });
    expect(e.flagged).toEqual([3]);
    expect(e.tenantStats()[0]).toMatchObject({ frames: 3, bad: 1 });
  });

  it('fragments in reverse order, duplicated and interleaved with other traffic reassemble the same', async () => {
    const frags = outerFragments(nvgreTcp(5001, 2000));
    const other = buildFrame(nvgreTcp(6000, 100)).data;
    const e = await open(pcap([frags[2], other, frags[1], frags[1], frags[0]]));
    expect(e.checks()['inner.tcp']).toEqual({ good: 2, bad: 0, partial: 0, zero: 0, unverified: 0, noChecksum: 0 });
    const t = Object.fromEntries(e.tenantStats().map((x) => [x.key, x.frames]));
    expect(t).toEqual({ 'nvgre:5001': 4, 'nvgre:6000': 1 });
    const rec = e.fragments.records.find((r) => r.completedIn === 5);
    expect(rec?.overlap).toBe(true);
    expect(rec?.conflict).toBe(false);
  });

  it('overlapping fragments whose bytes differ: the first received win and the conflict is recorded', async () => {
    const frags = outerFragments(nvgreTcp(5001, 2000));
    const forged = frags[1].slice();
    forged[forged.length - 1] ^= 0xff;
    const e = await open(pcap([frags[0], forged, frags[1], frags[2]]));
    const rec = e.fragments.records.find((r) => r.completedIn >= 0);
    expect(rec?.conflict).toBe(true);
    // The forged copy came first, so its bytes are what the TCP checksum is computed over: bad.
    expect(e.checks()['inner.tcp']?.bad).toBe(1);
  });

  it('a missing fragment leaves the datagram incomplete: inner checks unverified, frames still counted', async () => {
    const frags = outerFragments(nvgreTcp(5001, 2000));
    const e = await open(pcap([frags[0], frags[2]]));
    expect(e.fragments.incomplete).toBe(1);
    expect(e.checks()['inner.tcp']).toEqual({ good: 0, bad: 0, partial: 0, zero: 0, unverified: 1, noChecksum: 0 });
    // The first fragment names the tenant; the last one, decoded alone, is plain GRE-in-IP with no tenant.
    expect(e.tenantStats()[0]).toMatchObject({ key: 'nvgre:5001', frames: 1 });
    const rec = e.fragments.records[0];
    expect(rec.completedIn).toBe(-1);
    expect(rec.missing).toEqual(['bytes 1000-1999']);
  });

  it('a datagram not complete within the timeout is given up, and a later copy starts afresh', async () => {
    const frags = outerFragments(nvgreTcp(5001, 2000));
    const e = await open(pcap([frags[0], frags[1], frags[2]], [0, 1, 40]));
    expect(e.fragments.incomplete).toBe(2);
    expect(e.fragments.completed).toBe(0);
    expect(e.fragments.records[0].missing).toContain('no fragment within 30 s');
  });

  it('the memory bound gives up the oldest datagram and says so in a warning', async () => {
    const limits: FragmentLimits = { timeoutSec: 30, windowFrames: 100_000, maxBytes: 3000 };
    const a = outerFragments(nvgreTcp(5001, 2000, { id: 1 }));
    const b = outerFragments(nvgreTcp(5002, 2000, { id: 2 }));
    const e = await open(pcap([a[0], b[0], a[1], b[1], a[2], b[2]]), { fragmentLimits: limits });
    expect(e.fragments.dropped).toBeGreaterThan(0);
    expect(e.result?.warnings.some((w) => /IP reassembly dropped/.test(w.message))).toBe(true);
  });

  it('inner fragments inside NVGRE, VXLAN and Geneve: reassembled per tenant', async () => {
    const inner: Layer[] = [ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id: 0x77 }), tcp({ sport: 1, dport: 2, flags: 'PA' }), payload(3000)];
    const outers: Layer[][] = [
      [eth(HOST_A), ipv4({ src: '192.168.10.11', dst: '192.168.10.12' }), nvgre({ vsid: 5001, flowId: 1 }), eth(VM)],
      [eth(HOST_A), ipv4({ src: '192.168.10.11', dst: '192.168.10.12' }), udp({ sport: 5555, dport: 4789 }), vxlan(300), eth(VM)],
      [eth(HOST_A), ipv4({ src: '192.168.10.11', dst: '192.168.10.12' }), udp({ sport: 5555, dport: 6081 }), geneve(0x123456), eth(VM)],
    ];
    const frames: Uint8Array[] = [];
    for (const o of outers) for (const f of fragmentLayers([...o, ...inner], o.length, 1400)) frames.push(buildFrame(f).data);
    const e = await open(pcap(frames));
    expect(e.fragments.completed).toBe(3);
    expect(e.checks()['inner.tcp']).toEqual({ good: 3, bad: 0, partial: 0, zero: 0, unverified: 0, noChecksum: 0 });
    const t = Object.fromEntries(e.tenantStats().map((x) => [x.key, x.frames]));
    expect(t).toEqual({ 'nvgre:5001': 3, 'vxlan:300': 3, 'geneve:1193046': 3 });
    expect(e.flowStats(null).map((f) => f.frames)).toEqual([3, 3, 3]);
  });

  it('two tenants reusing the same inner addresses and IP ids never mix their fragments', async () => {
    const inner = (fill: number): Layer[] => [ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id: 0x77 }), tcp({ sport: 1, dport: 2 }), payload(2000, fill)];
    const out = (vsid: number): Layer[] => [eth(HOST_A), ipv4({ src: '192.168.10.11', dst: '192.168.10.12' }), nvgre({ vsid, flowId: 1 }), eth(VM)];
    const a = fragmentLayers([...out(5001), ...inner(0x61)], 4, 1400).map((l) => buildFrame(l).data);
    const b = fragmentLayers([...out(5002), ...inner(0x62)], 4, 1400).map((l) => buildFrame(l).data);
    const e = await open(pcap([a[0], b[0], b[1], a[1]]));
    expect(e.fragments.completed).toBe(2);
    // Mixed, each datagram would have the other's bytes and fail its TCP checksum.
    expect(e.checks()['inner.tcp']).toEqual({ good: 2, bad: 0, partial: 0, zero: 0, unverified: 0, noChecksum: 0 });
    expect(e.flowStats(null).map((f) => [f.tenant, f.frames])).toEqual([['nvgre:5001', 2], ['nvgre:5002', 2]]);
  });

  it('IPv6 fragment headers, outer and inner', async () => {
    const outer6: Layer[] = [
      eth(HOST_A), ipv6({ src: 'fd00::11', dst: 'fd00::12' }), udp({ sport: 5555, dport: 4789 }), vxlan(42), eth(VM),
      ipv6({ src: 'fd01::5', dst: 'fd01::6' }), tcp({ sport: 1, dport: 2 }), payload(2500),
    ];
    const outerFr = fragmentFrame(buildFrame(outer6).data, 14, 1232, 0xabcdef);
    const innerFr = fragmentLayers(outer6, 5, 1232, 0x1234).map((l) => buildFrame(l).data);
    const e = await open(pcap([...outerFr, ...innerFr]));
    expect(e.fragments.completed).toBe(2);
    expect(e.checks()['udp']).toMatchObject({ good: 1 + innerFr.length });
    expect(e.checks()['inner.tcp']).toEqual({ good: 2, bad: 0, partial: 0, zero: 0, unverified: 0, noChecksum: 0 });
    expect(e.tenantStats()[0]).toMatchObject({ key: 'vxlan:42', frames: outerFr.length + innerFr.length });
  });

  it('nested: a tenant fragment inside a fragmented underlay packet', async () => {
    const inner: Layer[] = [ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id: 0x77 }), tcp({ sport: 1, dport: 2 }), payload(3000)];
    const out: Layer[] = [eth(HOST_A), ipv4({ src: '192.168.10.11', dst: '192.168.10.12', id: 9 }), nvgre({ vsid: 5001, flowId: 1 }), eth(VM)];
    // The tenant sends 1500-byte fragments; the underlay then fragments each encapsulated one again.
    const frames: Uint8Array[] = [];
    fragmentLayers([...out, ...inner], 4, 1480).forEach((l, k) => {
      const data = buildFrame(l.map((x) => (x.kind === 'ipv4' && x.src === '192.168.10.11' ? { ...x, id: 100 + k } : x))).data;
      frames.push(...fragmentFrame(data, 14, 1000, 100 + k));
    });
    const e = await open(pcap(frames));
    expect(frames.length).toBe(5); // the third tenant fragment is small enough to cross the underlay whole
    expect(e.fragments.incomplete).toBe(0);
    expect(e.fragments.completed).toBe(3); // two underlay datagrams, then the tenant's
    expect(e.fragments.records.map((r) => [r.depth, r.completedIn])).toEqual([[0, 2], [0, 4], [1, 5]]);
    expect(e.checks()['inner.tcp']).toEqual({ good: 1, bad: 0, partial: 0, zero: 0, unverified: 0, noChecksum: 0 });
    expect(e.tenantStats()[0]).toMatchObject({ key: 'nvgre:5001', frames: frames.length });
    expect(e.flowStats(null)).toHaveLength(1);
  });

  it('gives the same counts when the CLI keeps no frames', async () => {
    const frags = outerFragments(nvgreTcp(5001, 2000));
    const bytes = pcap([frags[1], frags[0], frags[2], buildFrame(nvgreTcp(6000, 10)).data]);
    const kept = await open(bytes);
    const flat = await open(bytes, { retainFrames: false });
    expect(flat.tenantStats()).toEqual(kept.tenantStats());
    expect(flat.flowStats(null)).toEqual(kept.flowStats(null));
    expect(flat.checks()).toEqual(kept.checks());
  });
});

/** Frame n's details as the worker builds them (its bytes and its fragments' from the file). */
function details(e: Engine, file: Uint8Array, n: number) {
  const st = e.store;
  const bytesOf = (m: number): Uint8Array => file.subarray(st.offsetOf(m - 1), st.offsetOf(m - 1) + st.caplen[m - 1]);
  return e.detailOf(n, bytesOf(n), new Map(e.detailFrames(n).map((m) => [m, bytesOf(m)] as const)));
}

function find(nodes: readonly TreeNode[], field: string): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (ns: readonly TreeNode[]): void => {
    for (const x of ns) {
      if (x.field === field) out.push(x);
      if (x.children) walk(x.children);
    }
  };
  walk(nodes);
  return out;
}

describe('details and filters of reassembled frames', () => {
  it('the completing frame lists its fragments and shows the reassembled layers; the others say where', async () => {
    const file = pcap(outerFragments(nvgreTcp(5001, 2000)));
    const e = await open(file);
    expect(e.detailFrames(3)).toEqual([1, 2]);
    expect(e.detailFrames(1)).toEqual([]);
    const done = details(e, file, 3);
    const labels = done.tree.map((x) => x.label);
    expect(labels).toContain('[3 IPv4 Fragments (2062 bytes): #1(1000), #2(1000), #3(62)]');
    expect(find(done.tree, 'ip.fragment').map((x) => x.raw)).toEqual([1, 2, 3]);
    expect(find(done.tree, 'ip.fragment.count')[0].raw).toBe(3);
    expect(find(done.tree, 'ip.reassembled.length')[0].raw).toBe(2062);
    expect(find(done.tree, 'nvgre.vsid')[0].raw).toBe(5001);
    const tcpCk = find(done.tree, 'tcp.checksum.status');
    expect(tcpCk.map((x) => x.verdict)).toEqual(['good']);
    // The reassembled layers' bytes are the second source; the outer IPv4 header is the frame's own.
    expect(done.sources.map((s) => s.label)).toEqual(['Frame', 'Reassembled IPv4 (2062 bytes)']);
    expect(find(done.tree, 'tcp.srcport')[0].src).toBe(1);
    expect(find(done.tree, 'ip.checksum')[0].src).toBeUndefined();
    expect(find(done.tree, 'tunnel.fragmented')).toHaveLength(1);
    const first = details(e, file, 1);
    expect(find(first.tree, 'ip.reassembled_in').map((x) => x.raw)).toEqual([3]);
    expect(find(first.tree, 'gre')).toEqual([]); // cut at the fragment, as Wireshark shows it
    expect(first.tree.find((x) => x.field === 'data')?.length).toBe(1000);
    expect(first.tree.some((x) => x.children?.some((c) => c.label.startsWith('[Fragment: transport checksum')))).toBe(false);
    expect(first.tree.some((x) => x.label.startsWith('[Expert: IP fragment'))).toBe(false);
  });

  it('display filters see reassembly fields and the reassembled layers', async () => {
    const file = pcap(outerFragments(nvgreTcp(5001, 2000)));
    const e = await open(file);
    const match = async (f: string): Promise<number[]> => {
      const run = e.filters.get(f);
      await resolvePending(e, run, new MemorySource(file));
      return Array.from({ length: e.frames }, (_, i) => i).filter((i) => run.state[i] === 1).map((i) => i + 1);
    };
    expect(await match('ip.reassembled_in == 3')).toEqual([1, 2]);
    expect(await match('ip.fragment == 2')).toEqual([3]);
    expect(await match('tunnel.fragmented')).toEqual([1, 2, 3]);
    expect(await match('tcp.port == 443')).toEqual([3]);
    // The tenant fields follow the datagram; the NVGRE header's own fields are where the header is (tshark).
    expect(await match('tenant.vnid == 5001 && tenant.encap == nvgre')).toEqual([1, 2, 3]);
    expect(await match('nvgre.vsid == 5001')).toEqual([3]);
    expect(await match('ip.flags.mf == 1')).toEqual([1, 2]);
  });

  it('an incomplete datagram says what is missing', async () => {
    const frags = outerFragments(nvgreTcp(5001, 2000));
    const file = pcap([frags[0], frags[2]]);
    const e = await open(file);
    const t = details(e, file, 1).tree;
    const ip = t.find((x) => x.field === 'ip');
    expect(ip?.children?.some((c) => c.label === '[Fragment of an incomplete IPv4 datagram: missing bytes 1000-1999]')).toBe(true);
    // The first fragment still shows what it carries: the tenant's headers.
    expect(find(t, 'nvgre.vsid')[0].raw).toBe(5001);
  });
});

describe('packet-list rows of fragments', () => {
  it('say where they were reassembled, as Wireshark does', async () => {
    const e = await open(pcap(outerFragments(nvgreTcp(5001, 2000))));
    const rows = e.rows(0, 3, ALL).rows;
    expect(rows.map((r) => r.info)).toEqual([
      'Fragmented IP protocol (proto=Generic Routing Encapsulation 47, off=0, ID=0100) [Reassembled in #3]',
      'Fragmented IP protocol (proto=Generic Routing Encapsulation 47, off=1000, ID=0100) [Reassembled in #3]',
      '40000 → 443 [PSH, ACK]',
    ]);
    expect(rows.map((r) => r.protocol)).toEqual(['IPv4', 'IPv4', 'TCP']);
  });

  it('IPv6 fragments, and a datagram that never completed', async () => {
    const l: Layer[] = [eth(HOST_A), ipv6({ src: 'fd00::11', dst: 'fd00::12' }), udp({ sport: 5555, dport: 4789 }), vxlan(42), eth(VM),
      ipv6({ src: 'fd01::5', dst: 'fd01::6' }), tcp({ sport: 1, dport: 2 }), payload(2500)];
    const fr = fragmentFrame(buildFrame(l).data, 14, 1232, 0xabcdef);
    const e = await open(pcap(fr));
    expect(e.rows(0, 3, ALL).rows.map((r) => r.info)).toEqual([
      'IPv6 fragment (off=0 more=y ident=0x00abcdef nxt=17) [Reassembled in #3]',
      'IPv6 fragment (off=1232 more=y ident=0x00abcdef nxt=17) [Reassembled in #3]',
      '1 → 2 [ACK]',
    ]);
    const lost = await open(pcap([fr[0], fr[2]]));
    expect(lost.rows(0, 1, ALL).rows[0].info).toBe('1 → 2 [ACK] [IP fragment; datagram incomplete]');
  });
});

describe('the CLI JSON of fragments', () => {
  it('frames carry reassembledIn and the summary counts fragments, datagrams and the incomplete', async () => {
    const a = outerFragments(nvgreTcp(5001, 2000, { id: 1 }));
    const b = outerFragments(nvgreTcp(5002, 2000, { id: 2 }));
    const e = await open(pcap([a[0], a[1], b[0], a[2], buildFrame(nvgreTcp(6000, 10)).data]));
    expect(Array.from({ length: 5 }, (_, i) => frameJson(e, i).reassembledIn)).toEqual([4, 4, null, 4, null]);
    expect(frameJson(e, 0).encap).toBe('nvgre'); // the datagram's tenant, though the fragment shows no GRE
    expect(frameJson(e, 0).vnid).toBe(5001);
    expect(summaryJson(e, 'x').fragments).toEqual({ frames: 4, datagrams: 2, incomplete: 1 });
  });
});

describe('copySummary', () => {
  it('copies every field (a field added to Summary and forgotten there fails this)', () => {
    const from = newSummary();
    let k = 1;
    for (const key of Object.keys(from) as Array<keyof Summary>) if (typeof from[key] === 'number') (from as unknown as Record<string, number>)[key] = k++;
    from.checks.forEach((_, i) => { from.checks[i] = (i % 5) + 1; });
    const to = copySummary(from);
    expect(to).toEqual(from);
    expect(to.checks).not.toBe(from.checks);
  });
});
