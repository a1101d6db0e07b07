// IP reassembly where reassemblers part ways: overlaps whose bytes differ, fragments past the end or past
// 65535 bytes, two last fragments, the snaplen, an IPv6 next header that changes between fragments. Each
// case says whose rule we follow (Wireshark's, or the IP stacks' where they discard); the differential test
// against tshark (fragments-tshark.test.ts) lists the cases where that is not Wireshark's.
import { describe, expect, it } from 'vitest';
import { fragmentFrame, fragmentRanges, type FragmentRange } from '../../scripts/lib/fragment.ts';
import { buildFrame, eth, geneve, ipv4, ipv6, nvgre, payload, tcp, udp, vxlan, type Layer } from '../../scripts/lib/packet-builder.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { concat, pcapHeader, pcapRecord } from '../capture/test-bytes.ts';
import type { TreeNode } from '../summary.ts';
import { Datagram } from './datagram.ts';
import { Engine } from './engine.ts';

const HOST = { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' };
const VM = { src: '00:15:5d:aa:00:01', dst: '00:15:5d:aa:00:02' };

/** VXLAN over IPv4 (or IPv6) around a tenant TCP segment: 16 + 14 + 20 + 20 + size underlay payload bytes. */
function vxlanTcp(size: number, family: 4 | 6 = 4): Layer[] {
  const ip = family === 4 ? ipv4({ src: '192.168.10.11', dst: '192.168.10.12', id: 0x321 }) : ipv6({ src: 'fd00::11', dst: 'fd00::12' });
  return [eth(HOST), ip, udp({ sport: 5555, dport: 4789 }), vxlan(300), eth(VM),
    ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id: 7 }), tcp({ sport: 40000, dport: 443, flags: 'PA' }), payload(size)];
}

/** Fragments at explicit underlay payload ranges; `forge` flips datagram bytes [from, to) in fragment `frag`. */
function ranges(layers: Layer[], rs: FragmentRange[], forge?: { frag: number; from: number; to: number }): Uint8Array[] {
  const frags = fragmentRanges(buildFrame(layers).data, 14, rs, 0x9a);
  if (forge !== undefined) {
    const hl = frags[0][14] >> 4 === 4 ? 20 : 48;
    for (let i = forge.from; i < forge.to; i++) frags[forge.frag][14 + hl + i - rs[forge.frag].offset] ^= 0x20;
  }
  return frags;
}

/** A pcap of whole frames, or of frames cut to `caplen` bytes, a millisecond apart. */
function pcap(frames: Array<Uint8Array | { data: Uint8Array; caplen: number }>): Uint8Array {
  return concat(pcapHeader(), ...frames.map((f, k) => (f instanceof Uint8Array
    ? pcapRecord({ sec: 1_700_000_000, frac: k * 1000, data: f })
    : pcapRecord({ sec: 1_700_000_000, frac: k * 1000, data: f.data.subarray(0, f.caplen), origlen: f.data.length }))));
}

async function open(bytes: Uint8Array): Promise<Engine> {
  const e = new Engine();
  await e.load(new MemorySource(bytes), 'x.pcap');
  return e;
}

function details(e: Engine, file: Uint8Array, n: number): TreeNode[] {
  const st = e.store;
  const bytesOf = (m: number): Uint8Array => file.subarray(st.offsetOf(m - 1), st.offsetOf(m - 1) + st.caplen[m - 1]);
  return e.detailOf(n, bytesOf(n), new Map(e.detailFrames(n).map((m) => [m, bytesOf(m)] as const))).tree;
}

function labels(nodes: readonly TreeNode[]): string[] {
  const out: string[] = [];
  const walk = (ns: readonly TreeNode[]): void => {
    for (const x of ns) {
      out.push(x.label);
      if (x.children) walk(x.children);
    }
  };
  walk(nodes);
  return out;
}

// 2000 + 20 + 20 + 14 + 16 = 2070 underlay payload bytes.
const SPREAD: FragmentRange[] = [{ offset: 0, len: 1000 }, { offset: 504, len: 1000 }, { offset: 1496, len: 574 }];

describe('overlapping fragments whose bytes differ: the fragment that starts lowest wins, as in Wireshark', () => {
  it('a higher fragment received first does not win the bytes a lower one covers too', async () => {
    // The middle fragment's bytes 601-603 (inside the first fragment's range) are forged; it comes first.
    const f = ranges(vxlanTcp(2000), SPREAD, { frag: 1, from: 601, to: 604 });
    const e = await open(pcap([f[1], f[0], f[2]]));
    const rec = e.fragments.records.find((r) => r.completedIn === 3);
    expect(rec?.conflict).toBe(true);
    // The first fragment's (genuine) bytes were kept: the inner TCP and the VXLAN UDP checksums are good.
    expect(e.checks()['inner.tcp']).toMatchObject({ good: 1, bad: 0 });
    expect(e.checks()['udp']).toMatchObject({ good: 1, bad: 0 });
  });

  it('the same at an 8-byte overlap of the last fragment, for IPv6, and the forged copy kept when it starts lower', async () => {
    const six = ranges(vxlanTcp(2000, 6), SPREAD, { frag: 2, from: 1496, to: 1499 });
    const e6 = await open(pcap([six[2], six[0], six[1]]));
    expect(e6.checks()['inner.tcp']).toMatchObject({ good: 1, bad: 0 });
    // Forged in the lower fragment: its bytes win, whatever order.
    const low = ranges(vxlanTcp(2000), SPREAD, { frag: 0, from: 601, to: 604 });
    const e = await open(pcap([low[1], low[2], low[0]]));
    expect(e.checks()['inner.tcp']).toMatchObject({ good: 0, bad: 1 });
  });

  it('of two fragments starting at the same byte, the first received wins', () => {
    const dg = new Datagram();
    const a = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), b = Uint8Array.of(1, 2, 9, 4, 5, 6, 7, 8), last = Uint8Array.of(10, 11, 12);
    expect(dg.add(a, 0, 8, 8, 0, true)).toBe('pending');
    expect(dg.add(b, 0, 8, 8, 0, true)).toBe('pending');
    expect(dg.add(last, 0, 3, 3, 8, false)).toBe('complete');
    expect([...dg.payload()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]);
    expect(dg.conflict).toBe(true);
  });
});

describe('fragments that describe no one datagram are discarded, as IP stacks do', () => {
  it('bytes past the last fragment’s end, whichever comes first', async () => {
    const layers = vxlanTcp(3000);
    const rs: FragmentRange[] = [{ offset: 0, len: 1000 }, { offset: 2504, len: 504 }, { offset: 1000, len: 1000, more: false }];
    const before = await open(pcap(ranges(layers, rs)));
    const after = await open(pcap(ranges(layers, [rs[2], rs[1], rs[0]])));
    for (const e of [before, after]) {
      expect(e.fragments.completed).toBe(0);
      expect(e.fragments.records[0].missing).toEqual(["a fragment ends at byte 3008, past the last fragment's end (2000)"]);
    }
  });

  it('two last fragments with different ends', async () => {
    const f = ranges(vxlanTcp(2000), [{ offset: 1000, len: 1070 }, { offset: 1000, len: 504, more: false }, { offset: 0, len: 1000 }]);
    const e = await open(pcap(f));
    expect(e.fragments.completed).toBe(0);
    expect(e.fragments.records[0].missing).toEqual(['two last fragments end at bytes 2070 and 1504']);
  });

  it('a fragment past 65535 bytes (offset 65528), while the largest datagram still reassembles', async () => {
    const f = fragmentFrame(buildFrame(vxlanTcp(2000)).data, 14, 1000, 0);
    const past = f[1].slice(0, 14 + 20 + 104);
    const dv = new DataView(past.buffer);
    dv.setUint16(14 + 2, 124);
    dv.setUint16(14 + 6, 0x2000 | (65528 / 8));
    const e = await open(pcap([f[0], past, f[1], f[2]]));
    expect(e.fragments.completed).toBe(0);
    expect(e.fragments.records[0].missing).toEqual(['fragment ends at byte 65632, past the largest datagram (65535)']);
    // 65535 bytes with the IPv4 header: payload 65515, the last fragment at offset 65512.
    const max = fragmentFrame(buildFrame(vxlanTcp(65515 - 70)).data, 14, 1480, 0);
    const big = await open(pcap(max.reverse()));
    expect(big.fragments.records.map((r) => [r.total, r.completedIn])).toEqual([[65515, max.length]]);
    expect(big.checks()['inner.tcp']).toMatchObject({ good: 1 });
  });
});

describe('a fragment the snaplen cut short', () => {
  it('is set aside: a whole copy completes the datagram, and the cut frame says why it is not part of it', async () => {
    const f = fragmentFrame(buildFrame(vxlanTcp(2000)).data, 14, 1000, 0);
    const file = pcap([f[0], { data: f[1], caplen: 200 }, f[2], f[1]]);
    const e = await open(file);
    expect(e.fragments.records.find((r) => r.completedIn >= 0)?.fragments.map((x) => x.n)).toEqual([1, 3, 4]);
    expect([1, 2, 3, 4].map((n) => e.fragments.reassembledIn(n))).toEqual([4, null, 4, 4]);
    expect(e.checks()['inner.tcp']).toMatchObject({ good: 1, unverified: 0 });
    // Every frame still counts for the tenant: the cut one as decoded alone (its own headers name no tenant).
    expect(e.tenantStats()[0]).toMatchObject({ key: 'vxlan:300', frames: 3 });
    expect(labels(details(e, file, 2))).toContain("[Fragment of an incomplete IPv4 datagram: missing this fragment's bytes 1166-1999, cut short by the capture]");
  });

  it('without a whole copy, the datagram is incomplete and says which bytes are missing', async () => {
    const f = fragmentFrame(buildFrame(vxlanTcp(2000)).data, 14, 1000, 0);
    const e = await open(pcap([f[0], { data: f[1], caplen: 200 }, f[2]]));
    expect(e.fragments.completed).toBe(0);
    expect(e.fragments.records.map((r) => r.missing)).toEqual([
      ["this fragment's bytes 1166-1999, cut short by the capture"],
      ['bytes 1000-1999'],
    ]);
    expect(e.fragments.incomplete).toBe(2);
  });
});

describe('IPv6: the datagram is keyed by addresses and identification, its next header is the first fragment’s', () => {
  it('a later fragment naming another next header still belongs to the datagram (RFC 8200 4.5)', async () => {
    const layers: Layer[] = [eth(HOST), ipv6({ src: 'fd00::11', dst: 'fd00::12' }), udp({ sport: 5555, dport: 6081 }), geneve(0x123456), eth(VM),
      ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id: 7 }), tcp({ sport: 1, dport: 2 }), payload(2000)];
    const f = fragmentFrame(buildFrame(layers).data, 14, 1232, 0xbeef);
    f[1][14 + 40] = 59; // "no next header" in the second fragment's fragment header
    const file = pcap([f[1], f[0]]);
    const e = await open(file);
    expect(e.fragments.records.map((r) => [r.completedIn, r.proto])).toEqual([[2, 17]]);
    expect(e.checks()['udp']).toMatchObject({ good: 1 });
    expect(e.checks()['inner.tcp']).toMatchObject({ good: 1 });
    const t = labels(details(e, file, 2));
    expect(t.some((l) => l.startsWith('Generic Network Virtualization Encapsulation'))).toBe(true);
    // In the other order the completing fragment's own header says 59: the first fragment's 17 still counts.
    const rev = pcap([f[0], f[1]]);
    const e2 = await open(rev);
    expect(e2.checks()['inner.tcp']).toMatchObject({ good: 1 });
    expect(labels(details(e2, rev, 2)).some((l) => l.startsWith('Generic Network Virtualization Encapsulation'))).toBe(true);
  });

  it('IPv4 fragments with another protocol are another datagram (RFC 791)', async () => {
    const layers: Layer[] = [eth(HOST), ipv4({ src: '192.168.10.11', dst: '192.168.10.12', id: 5 }), nvgre({ vsid: 5001 }), eth(VM),
      ipv4({ src: '10.0.0.5', dst: '10.0.0.6' }), tcp({ sport: 1, dport: 2 }), payload(1500)];
    const f = fragmentFrame(buildFrame(layers).data, 14, 1000, 0);
    f[1][14 + 9] = 17;
    f[1][14 + 10] = 0;
    f[1][14 + 11] = 0;
    const e = await open(pcap(f));
    expect(e.fragments.completed).toBe(0);
    expect(e.fragments.incomplete).toBe(2);
  });
});
