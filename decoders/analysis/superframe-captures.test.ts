// The real TSO/GSO and GRO captures in captures/ (SOURCES.tsv: the TSO ones by name, and the receive captures
// whose TCP segments exceed a 1,500-byte MTU): every super-frame labelled, none of the others. tshark is the
// oracle for what the packets are, read from its PDML: an IPv4 total length or IPv6 payload length field of 0
// with a packet behind it, or an innermost IP packet longer than the 1,500-byte MTU these hosts' links carry.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_CAPTURES } from '../../scripts/lib/shared-captures.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { peerSynFrame, superframeOf } from './superframe.ts';

const TSHARK = '/usr/bin/tshark';

const CAPTURES = [
  'PcapPlusPlus/packetpp__IPv4-TSO.pcap',
  'dotpcap+packetnet/ipv4_tso_frame.pcap',
  'tcpdump/ipv4_tcp_http_xml_tso.pcap',
  'zeek/krb__kerberos_tso.pcapng',
  'zeek/tls__openjdk-25.0.2-zeek.org.pcap',
  'zeek/tunnels__geneve-47101.pcap',
  'zeek/http__cooper-grill-dvwa.pcapng',
];

/** tshark's view: frames with a length field of 0, and each frame's innermost IP packet length. */
function oracle(file: string): { zero: Set<number>; innerLen: Map<number, number> } {
  const pdml = execFileSync(TSHARK, ['-r', file, '-T', 'pdml'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  const zero = new Set<number>();
  const innerLen = new Map<number, number>();
  for (const packet of pdml.split('<packet>').slice(1)) {
    const n = Number(/<field name="num" [^>]*show="(\d+)"/.exec(packet)?.[1]);
    let len = 0;
    for (const m of packet.matchAll(/<field name="(ip\.len|ipv6\.plen)" [^>]*show="(\d+)"[^>]*value="([0-9a-f]+)"/g)) {
      if (Number.parseInt(m[3], 16) === 0) zero.add(n);
      len = Number(m[2]) + (m[1] === 'ipv6.plen' ? 40 : 0);
    }
    innerLen.set(n, len);
  }
  return { zero, innerLen };
}

describe('super-frames in the real TSO/GSO/GRO captures', () => {
  it('has tshark and the captures', () => {
    expect(existsSync(TSHARK)).toBe(true);
    for (const c of CAPTURES) expect(existsSync(join(SHARED_CAPTURES, c)), c).toBe(true);
  });

  for (const rel of CAPTURES) {
    it(rel, { timeout: 60_000 }, async () => {
      const file = join(SHARED_CAPTURES, rel);
      const bytes = new Uint8Array(readFileSync(file));
      const e = new Engine();
      const src = new MemorySource(bytes);
      await e.load(src, rel);
      const { zero, innerLen } = oracle(file);
      const want = [...innerLen.keys()].filter((n) => zero.has(n) || (innerLen.get(n) ?? 0) > 1500);
      const got = Array.from({ length: e.frames }, (_, i) => i + 1).filter((n) => e.isSuperframe(n - 1));
      expect(want.length).toBeGreaterThan(0);
      expect(got).toEqual(want);
      // Each says how it would leave: at least one segment, each no larger than what a 1,500-byte MTU leaves.
      for (const n of got) {
        const loc = e.frameLocation(n);
        const syn = peerSynFrame(e, n - 1);
        const synBytes = syn > 0 ? await src.read(e.frameLocation(syn).offset, e.frameLocation(syn).caplen) : null;
        const sf = superframeOf(e, n - 1, await src.read(loc.offset, loc.caplen), syn > 0 && synBytes !== null ? { n: syn, bytes: synBytes } : null);
        expect(sf, `frame ${n}`).not.toBeNull();
        expect(sf?.segments).toBeGreaterThanOrEqual(1);
        expect(sf?.reasons.length, `frame ${n}`).toBeGreaterThan(0);
      }
    });
  }
});
