// The MTU diagnosis on generated captures: per host, the encapsulated packets the underlay fragmented, the
// largest inner packet, the overhead, the advice; tenant fragments and ICMP "fragmentation needed" / "packet
// too big" apart; the same with and without frames kept; each count's filter selects exactly its frames.
import { describe, expect, it } from 'vitest';
import { mtuCapture } from '../../scripts/lib/mtu-capture.ts';
import { fragmentFrame, fragmentLayers } from '../../scripts/lib/fragment.ts';
import {
  buildFrame, eth, geneve, icmpEcho, icmpv6Echo, ipv4, ipv6, nvgre, payload, tcp, udp, vxlan, type Layer,
} from '../../scripts/lib/packet-builder.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { concat, pcapHeader, pcapRecord } from '../capture/test-bytes.ts';
import { resolvePending } from '../filter/runner.ts';
import { Engine, type EngineOptions } from './engine.ts';
import { mtuFilter } from './mtu.ts';
import { summaryJson } from './report.ts';
import { subsetSummaryJson } from './subset.ts';
import type { MtuFinding } from './types.ts';

const HOSTS = { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' };
const VM = { src: '00:15:5d:aa:00:01', dst: '00:15:5d:aa:00:02' };

function pcap(frames: Uint8Array[]): Uint8Array {
  return concat(pcapHeader(), ...frames.map((data, k) => pcapRecord({ sec: 1_700_000_000 + k, frac: 0, data })));
}

async function open(bytes: Uint8Array, opts: EngineOptions = {}): Promise<Engine> {
  const e = new Engine(opts);
  await e.load(new MemorySource(bytes), 'x.pcap');
  return e;
}

async function match(e: Engine, file: Uint8Array, filter: string): Promise<number[]> {
  const run = e.filters.get(filter);
  await resolvePending(e, run, new MemorySource(file));
  return Array.from({ length: e.frames }, (_, i) => i).filter((i) => run.state[i] === 1).map((i) => i + 1);
}

const none = { count: 0, mtus: [] };

/** What the scenario of scripts/lib/mtu-capture.ts must give, worked out by hand from how it is built. */
const EXPECTED: MtuFinding[] = [
  {
    host: '192.168.10.11', encap: 'nvgre', fragmented: 2, incomplete: 1, tenantFragmented: 0,
    largestInner: 1500, overhead: 42, underlayMtu: 1500, needed: 1542, icmp: { count: 1, mtus: [1500] },
    advice: 'Underlay MTU of at least 1542 (1500-byte inner packets + 42 bytes of NVGRE over IPv4) or jumbo frames; or a tenant MTU of at most 1458. '
      + 'Routers on the underlay reported a next-hop MTU of 1500 to this host.',
    frames: { fragmented: 4, incomplete: 1, tenantFragmented: 0, icmp: 1 },
  },
  {
    // IPv6: 40 + UDP 8 + VXLAN 8 + Ethernet 14 = 70; 1448-byte pieces (with the 8-byte fragment header) make 1496.
    host: 'fd00::31', encap: 'vxlan', fragmented: 1, incomplete: 0, tenantFragmented: 0,
    largestInner: 1500, overhead: 70, underlayMtu: 1496, needed: 1570, icmp: { count: 1, mtus: [1280] },
    advice: 'Underlay MTU of at least 1570 (1500-byte inner packets + 70 bytes of VXLAN over IPv6) or jumbo frames; or a tenant MTU of at most 1210. '
      + 'Routers on the underlay reported a next-hop MTU of 1280 to this host.',
    frames: { fragmented: 2, incomplete: 0, tenantFragmented: 0, icmp: 1 },
  },
  {
    host: '192.168.20.21', encap: 'vxlan', fragmented: 1, incomplete: 0, tenantFragmented: 0,
    largestInner: 1500, overhead: 50, underlayMtu: 1500, needed: 1550, icmp: none,
    advice: 'Underlay MTU of at least 1550 (1500-byte inner packets + 50 bytes of VXLAN over IPv4) or jumbo frames; or a tenant MTU of at most 1450.',
    frames: { fragmented: 2, incomplete: 0, tenantFragmented: 0, icmp: 0 },
  },
  {
    host: '192.168.10.13', encap: 'nvgre', fragmented: 0, incomplete: 0, tenantFragmented: 1,
    largestInner: null, overhead: null, underlayMtu: null, needed: null, icmp: none,
    advice: 'Tenant packets arrive already fragmented: the tenants\' own stacks fragment them before encapsulation (an application sending more than the tenant MTU); the underlay is not the cause.',
    frames: { fragmented: 0, incomplete: 0, tenantFragmented: 3, icmp: 0 },
  },
];

describe('MTU diagnosis', () => {
  it('per host: fragmented NVGRE and VXLAN over IPv4 and IPv6, an incomplete datagram, tenant fragments, ICMP', async () => {
    const e = await open(mtuCapture());
    expect(e.mtu()).toEqual(EXPECTED);
    // Host B (192.168.10.12) only sends small packets: no entry.
    expect(summaryJson(e, 'x').mtu).toEqual(EXPECTED);
  });

  it('is the same when the CLI keeps no frames', async () => {
    const e = await open(mtuCapture(), { retainFrames: false });
    expect(e.mtu()).toEqual(EXPECTED);
    expect(e.fragments.records).toEqual([]);
  });

  it('each count\'s filter selects exactly the frames it counts', async () => {
    const file = mtuCapture();
    const e = await open(file);
    // Frames: 1 A, 2 B, 3 A, 4-5 A, 6 B, 7 A (incomplete), 8 ICMP to A, 9-10 C, 11-12 D, 13 ICMPv6 to D, 14-16 E.
    const want: Record<string, Record<string, number[]>> = {
      '192.168.10.11': { fragmented: [1, 3, 4, 5], incomplete: [7], tenantFragmented: [], icmp: [8] },
      'fd00::31': { fragmented: [11, 12], incomplete: [], tenantFragmented: [], icmp: [13] },
      '192.168.20.21': { fragmented: [9, 10], incomplete: [], tenantFragmented: [], icmp: [] },
      '192.168.10.13': { fragmented: [], incomplete: [], tenantFragmented: [14, 15, 16], icmp: [] },
      '192.168.10.12': { fragmented: [], incomplete: [], tenantFragmented: [], icmp: [] },
    };
    for (const [host, kinds] of Object.entries(want)) {
      const f = e.mtu().find((x) => x.host === host);
      for (const [kind, frames] of Object.entries(kinds)) {
        const k = kind as keyof MtuFinding['frames'];
        expect(await match(e, file, mtuFilter(k, host)), `${host} ${kind}`).toEqual(frames);
        expect(f?.frames[k] ?? 0, `${host} ${kind}`).toBe(frames.length);
      }
    }
  });

  it('--filter: the datagrams and ICMP messages among the frames selected', async () => {
    const file = mtuCapture();
    const e = await open(file);
    const sub = async (filter: string): Promise<MtuFinding[]> => {
      const run = e.filters.get(filter);
      await resolvePending(e, run, new MemorySource(file));
      return subsetSummaryJson(e, 'x', filter, run.state).mtu;
    };
    expect(await sub('ip.src#1 == 192.168.20.21')).toEqual([EXPECTED[2]]);
    // One fragment selects its datagram whole; the ICMP message is not selected.
    const one = await sub('frame.number == 3');
    expect(one.map((f) => [f.host, f.fragmented, f.incomplete, f.icmp.count, f.frames.fragmented])).toEqual([['192.168.10.11', 1, 0, 0, 2]]);
    const icmp = await sub('icmp || icmpv6');
    // Equal counts: IPv4 hosts before IPv6 ones, then by address.
    expect(icmp.map((f) => [f.host, f.fragmented, f.icmp])).toEqual([['192.168.10.11', 0, { count: 1, mtus: [1500] }], ['fd00::31', 0, { count: 1, mtus: [1280] }]]);
    expect(icmp[0].advice).toBe('Underlay MTU of at least the tenant MTU + the encapsulation overhead (e.g. 1542 for NVGRE, 1550 for VXLAN over IPv4 with 1500-byte tenant packets) '
      + 'or jumbo frames; or a tenant MTU of at most 1500 minus the encapsulation overhead (42 for NVGRE, 50 for VXLAN or Geneve over IPv4, 20 more over IPv6). '
      + 'Routers on the underlay reported a next-hop MTU of 1500 to this host.');
    expect(await sub('ip.src#1 == 192.168.10.12')).toEqual([]);
  });

  it('a clean capture has no findings; ICMP that is not about the MTU, or inside a tunnel, is not counted', async () => {
    const small = buildFrame([eth(HOSTS), ipv4({ src: '192.168.10.11', dst: '192.168.10.12' }), nvgre({ vsid: 5001, flowId: 1 }), eth(VM),
      ipv4({ src: '10.0.0.5', dst: '10.0.0.6' }), tcp({ sport: 1, dport: 2 }), payload(1400)]).data;
    const portUnreachable = buildFrame([eth(HOSTS), ipv4({ src: '192.168.10.1', dst: '192.168.10.11' }), icmpEcho({ type: 3, code: 3 }), payload(28)]).data;
    // A tenant's own "fragmentation needed" inside its tunnel: the tenant network's business, not the underlay's.
    const tenantIcmp = buildFrame([eth(HOSTS), ipv4({ src: '192.168.10.12', dst: '192.168.10.11' }), nvgre({ vsid: 5001, flowId: 1 }), eth(VM),
      ipv4({ src: '10.0.0.1', dst: '10.0.0.5' }), icmpEcho({ type: 3, code: 4, seq: 1400 }), payload(28)]).data;
    const echo6 = buildFrame([eth(HOSTS), ipv6({ src: 'fd00::1', dst: 'fd00::31' }), icmpv6Echo({ type: 128 })]).data;
    // Plain fragmented traffic carries no tunnel: no MTU finding about encapsulation.
    const plain = fragmentFrame(buildFrame([eth(HOSTS), ipv4({ src: '192.168.10.11', dst: '192.168.10.12', id: 5 }), udp({ sport: 1, dport: 2 }), payload(3000)]).data, 14, 1480);
    const e = await open(pcap([small, portUnreachable, tenantIcmp, echo6, ...plain]));
    expect(e.fragments.completed).toBe(1);
    expect(e.mtu()).toEqual([]);
    expect(summaryJson(e, 'x').mtu).toEqual([]);
  });

  it('an ICMP message cut before its MTU is counted without one; an MTU of 0 (pre-RFC 1191 router) is not listed', async () => {
    const frag = (mtu: number): Uint8Array => buildFrame([eth(HOSTS), ipv4({ src: '192.168.10.1', dst: '192.168.10.11' }), icmpEcho({ type: 3, code: 4, seq: mtu }), payload(28)]).data;
    const cut = frag(1400).subarray(0, 14 + 20 + 6);
    const e = await open(pcap([frag(0), cut, frag(1400)]));
    const [f] = e.mtu();
    expect(f.icmp).toEqual({ count: 3, mtus: [1400] });
    expect(f.frames.icmp).toBe(3);
    expect(f.advice).toContain('a tenant MTU of at most 1400 minus the encapsulation overhead');
  });

  it('Geneve options add to the overhead; a tenant fragment inside an underlay-fragmented packet counts twice', async () => {
    const opt = { cls: 0x0102, type: 0x80, data: new Uint8Array(8) };
    const g = buildFrame([eth(HOSTS), ipv4({ src: '192.168.30.1', dst: '192.168.30.2', id: 1 }), udp({ sport: 5555, dport: 6081 }), geneve(77, { options: [opt] }),
      eth(VM), ipv4({ src: '10.0.0.5', dst: '10.0.0.6' }), tcp({ sport: 1, dport: 2 }), payload(1460)]).data;
    // The tenant sends 1500-byte fragments; the underlay fragments each encapsulated one again (MTU 1000).
    const inner: Layer[] = [ipv4({ src: '10.0.0.5', dst: '10.0.0.6', id: 0x77 }), tcp({ sport: 1, dport: 2 }), payload(3000)];
    const out: Layer[] = [eth(HOSTS), ipv4({ src: '192.168.10.11', dst: '192.168.10.12', id: 9 }), nvgre({ vsid: 5001, flowId: 1 }), eth(VM)];
    const nested: Uint8Array[] = [];
    fragmentLayers([...out, ...inner], 4, 1480).forEach((l, k) => {
      const data = buildFrame(l.map((x) => (x.kind === 'ipv4' && x.src === '192.168.10.11' ? { ...x, id: 100 + k } : x))).data;
      nested.push(...fragmentFrame(data, 14, 976, 100 + k));
    });
    const e = await open(pcap([...fragmentFrame(g, 14, 1480), ...nested]));
    const [a, b] = e.mtu();
    // Geneve: 20 + 8 + 8 + 12 (option header 4 + 8 bytes) + 14 = 62.
    expect([b.host, b.encap, b.overhead, b.largestInner, b.needed, b.underlayMtu]).toEqual(['192.168.30.1', 'geneve', 62, 1500, 1562, 1500]);
    // Two tenant fragments of 1500 bytes each went over the underlay in 996-byte pieces; the third crossed whole.
    expect([a.host, a.fragmented, a.tenantFragmented, a.largestInner, a.overhead, a.needed, a.underlayMtu]).toEqual(['192.168.10.11', 2, 1, 1500, 42, 1542, 996]);
    expect(a.advice).toMatch(/^Underlay MTU of at least 1542 .* a tenant MTU of at most 954\. Tenant packets arrive already fragmented/);
  });
});
