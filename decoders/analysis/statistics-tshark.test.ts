// Differential test: Conversations (TCP, inner = outer on plain traffic), IPv4 Endpoints and the Protocol
// Hierarchy against tshark 4.0's `-z conv,tcp`, `-z endpoints,ip` and `-z io,phs` on the real Ethernet
// captures in captures/ that carry no tunnel and no IP fragment. Tunnelled captures are left out on purpose:
// tshark's tables merge the underlay and the tenants' headers (every IP header of a frame counts in
// `endpoints,ip`, tenants reusing addresses are one conversation), where ours keep outer and inner apart, per
// tenant; fragments, because tshark counts a reassembled TCP segment's frame in the TCP table (so do we) but
// its hierarchy puts it under the reassembled protocols, ours under IP (frames are read as they decode alone).
// What is compared: per TCP address/port pair, the frames (tshark splits a pair into one row per tcp.stream
// when ports are reused: summed) and the bytes where tshark prints them exactly; per IPv4 address every
// count; per hierarchy path of the protocols both decode (eth, vlan, ip, ipv6, arp, tcp, udp, icmp, icmpv6,
// igmp; three levels deep), the frames and bytes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listSharedCaptures } from '../../scripts/lib/shared-captures.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { ipConversations } from './conversations.ts';
import { byteStatistics, type HierarchyNode } from './proto-hierarchy.ts';

const TSHARK = '/usr/bin/tshark';
const SHARED = new Set(['eth', 'vlan', 'ip', 'ipv6', 'arp', 'tcp', 'udp', 'icmp', 'icmpv6', 'igmp']);
const MAX_FILES = 40;
/** Captures where tshark differs by design, and why. */
const DIFFERENT: Record<string, string> = {
  'PcapPlusPlus/packetpp__ipv4-malformed.pcap': 'tshark keeps no endpoint of an IPv4 header it finds malformed; we count the addresses we read',
  'PcapPlusPlus/packetpp__tcp-malformed.pcap': 'likewise for a malformed TCP header: tshark has no conversation of it',
  'arkime/dot1ad.pcap': 'tshark names an 802.1ad (QinQ) tag ieee8021ad in the hierarchy; ours is vlan, as every 802.1Q/ad tag',
};

function tshark(path: string): string {
  return execFileSync(TSHARK, ['-q', '-n', '-r', path, '-z', 'conv,tcp', '-z', 'endpoints,ip', '-z', 'io,phs'], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20,
  });
}

interface Theirs {
  tcp: Map<string, { frames: number; bytes: number | null }>;
  ip: Map<string, number[]>;
  phs: Map<string, [number, number]>;
}

const pairKey = (a: string, pa: number, b: string, pb: number): string => [`${a}:${pa}`, `${b}:${pb}`].sort().join(' ');

function parse(out: string): Theirs {
  const t: Theirs = { tcp: new Map(), ip: new Map(), phs: new Map() };
  let section = '';
  const stack: string[] = [];
  for (const line of out.split('\n')) {
    if (/^(Protocol Hierarchy Statistics|IPv4 Endpoints|TCP Conversations)/.test(line)) { section = line; continue; }
    if (section.startsWith('Protocol')) {
      const m = /^( *)(\S+)\s+frames:(\d+) bytes:(\d+)/.exec(line);
      if (!m) continue;
      const depth = m[1].length / 2;
      stack.length = depth;
      stack.push(m[2]);
      t.phs.set(stack.join(' > '), [Number(m[3]), Number(m[4])]);
    } else if (section.startsWith('IPv4')) {
      const m = /^(\d+\.\d+\.\d+\.\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(line);
      if (m) t.ip.set(m[1], m.slice(2).map(Number));
    } else if (section.startsWith('TCP')) {
      const m = /^(\S+):(\d+)\s+<-> (\S+):(\d+)\s+\d+ \S+ \S+\s+\d+ \S+ \S+\s+(\d+) (\d+) (\S+)/.exec(line);
      if (!m) continue;
      const k = pairKey(m[1], Number(m[2]), m[3], Number(m[4]));
      const prev = t.tcp.get(k) ?? { frames: 0, bytes: 0 };
      const bytes = m[7] === 'bytes' && prev.bytes !== null ? prev.bytes + Number(m[6]) : null;
      t.tcp.set(k, { frames: prev.frames + Number(m[5]), bytes });
    }
  }
  return t;
}

function paths(list: HierarchyNode[], prefix: string[], out: Map<string, [number, number]>): void {
  for (const n of list) {
    if (!SHARED.has(n.name) || prefix.length >= 3) continue;
    const p = [...prefix, n.name];
    out.set(p.join(' > '), [n.packets, n.bytes]);
    paths(n.children, p, out);
  }
}

const candidates = existsSync(TSHARK)
  ? listSharedCaptures().filter((c) => c.contents.includes('encap ether;') && c.size < 400_000 && !/tunnel|vxlan|gre|geneve|frag|erspan|mpls|pppoe|gtp/i.test(c.rel + c.contents))
  : [];

describe.skipIf(!existsSync(TSHARK))('statistics against tshark -z conv,tcp / endpoints,ip / io,phs', () => {
  const checked: string[] = [];
  it('has captures to compare', () => {
    expect(candidates.length).toBeGreaterThan(MAX_FILES);
  });
  for (const c of candidates.slice(0, MAX_FILES * 2)) {
    it(c.rel, async () => {
      if (checked.length >= MAX_FILES || DIFFERENT[c.rel] !== undefined) return;
      const e = new Engine();
      await e.load(new MemorySource(new Uint8Array(readFileSync(c.path))), c.rel);
      // Out of scope (see above): anything tunnelled, or any IP fragment.
      if (e.tenants.count > 0 || e.fragments.records.length > 0 || e.store.count === 0) return;
      for (let i = 0; i < e.store.count; i++) if (e.store.depth[i] > 0) return;
      checked.push(c.rel);
      const theirs = parse(tshark(c.path));
      const tcp = ipConversations(e, 'tcp', 'inner');
      const ours = new Map<string, { frames: number; bytes: number }>();
      for (const r of tcp.conversations) ours.set(pairKey(r.a, r.aPort ?? -1, r.b, r.bPort ?? -1), { frames: r.packets, bytes: r.bytes });
      expect([...ours.keys()].sort(), 'TCP pairs').toEqual([...theirs.tcp.keys()].sort());
      for (const [k, v] of theirs.tcp) {
        expect(ours.get(k)?.frames, `${k} frames`).toBe(v.frames);
        if (v.bytes !== null) expect(ours.get(k)?.bytes, `${k} bytes`).toBe(v.bytes);
      }
      const ip = ipConversations(e, 'ipv4', 'outer');
      const ends = new Map(ip.endpoints.map((x) => [x.address, [x.packets, x.bytes, x.txPackets, x.txBytes, x.rxPackets, x.rxBytes]]));
      expect(Object.fromEntries(ends), 'IPv4 endpoints').toEqual(Object.fromEntries(theirs.ip));
      const stats = await byteStatistics(e, new MemorySource(new Uint8Array(readFileSync(c.path))));
      const mine = new Map<string, [number, number]>();
      paths(stats.hierarchy, [], mine);
      const common = new Map([...theirs.phs].filter(([k]) => k.split(' > ').length <= 3 && k.split(' > ').every((n) => SHARED.has(n))));
      expect(Object.fromEntries(mine), 'protocol hierarchy').toEqual(Object.fromEntries(common));
    });
  }
  it('compared enough captures', () => {
    expect(checked.length).toBeGreaterThanOrEqual(15);
  });
});
