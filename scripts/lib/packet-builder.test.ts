import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePcapng } from '../../decoders/capture/pcapng-writer.ts';
import {
  arp, buildFrame, concatBytes, eth, fold, geneve, gre, icmpEcho, icmpv6Echo, internetChecksum, ipv4, ipv6,
  nvgre, onesSum, parseIPv4, parseIPv6, parseMac, payload, pseudoHeaderSum, tcp, tcpMss, tcpSackPerm, tcpWscale,
  udp, updateChecksum16, updateChecksum32, vlan, vxlan, type BuildOptions, type ChecksumMode, type Layer,
} from './packet-builder.ts';

const E = eth({ src: '00:15:5d:0a:00:0b', dst: '00:15:5d:0a:00:0c' });
const E2 = eth({ src: '00:15:5d:11:00:01', dst: '00:15:5d:11:00:02' });
const IP = ipv4({ src: '192.168.10.11', dst: '192.168.10.12', id: 0x1234, df: true });
const IIP = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', id: 77 });
const IP6 = ipv6({ src: 'fd00::1', dst: 'fd00:0:0:1::2', flowLabel: 0x12345 });

// tshark 4.0 checksum status: 0 Bad, 1 Good, 2 Unverified, 3 Not present, 4 Illegal.
const FIELDS = [
  'frame.len', 'frame.cap_len', 'vlan.id', 'ieee8021ad.id', 'ip.checksum.status', 'ipv6.flow', 'tcp.checksum.status',
  'udp.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status', 'gre.checksum.status', 'gre.key',
  'gre.sequence_number', 'vxlan.vni', 'geneve.vni', 'geneve.option.class', 'arp.opcode', 'tcp.flags',
  'tcp.options.mss_val', 'ip.opt.type', 'tcp.len', 'ip.len', 'udp.length',
] as const;
type Field = (typeof FIELDS)[number];

interface Case {
  name: string;
  layers: Layer[];
  opts?: BuildOptions;
  expect: Partial<Record<Field, string>>;
}

const modes: ChecksumMode[] = ['good', 'bad', 'partial', 'zero'];
// What tshark 4.0 says for each mode of a pseudo-header checksum (partial reads as Bad there).
const tsTcp: Record<string, string> = { good: '1', bad: '0', partial: '0', zero: '0' };

const cases: Case[] = [
  ...modes.map((m): Case => ({
    name: `ipv4 tcp ${m}`,
    layers: [E, IP, tcp({ sport: 443, dport: 50123, seq: 1000, ack: 2000, flags: 'PA', checksum: m }), payload(101)],
    expect: { 'ip.checksum.status': '1', 'tcp.checksum.status': tsTcp[String(m)], 'tcp.len': '101', 'ip.len': '141' },
  })),
  ...modes.map((m): Case => ({
    name: `ipv4 udp ${m}`,
    layers: [E, IP, udp({ sport: 5353, dport: 40000, checksum: m }), payload(31)],
    // UDP over IPv4 with checksum 0 means "none": tshark reports Not present (3).
    expect: { 'udp.checksum.status': m === 'zero' ? '3' : tsTcp[String(m)], 'udp.length': '39' },
  })),
  ...modes.map((m): Case => ({
    name: `ipv6 udp ${m}`,
    layers: [E, IP6, udp({ sport: 5353, dport: 40000, checksum: m }), payload(31)],
    // Over IPv6 a zero UDP checksum is illegal (4).
    expect: { 'udp.checksum.status': m === 'zero' ? '4' : tsTcp[String(m)], 'ipv6.flow': String(0x12345) },
  })),
  ...modes.map((m): Case => ({
    name: `ipv6 tcp ${m}`,
    layers: [E, IP6, tcp({ sport: 22, dport: 50000, flags: 'A', checksum: m })],
    expect: { 'tcp.checksum.status': tsTcp[String(m)] },
  })),
  ...modes.map((m): Case => ({
    name: `icmpv6 echo ${m}`,
    layers: [E, IP6, icmpv6Echo({ id: 7, seq: 1, checksum: m }), payload(32)],
    expect: { 'icmpv6.checksum.status': tsTcp[String(m)] },
  })),
  ...(['good', 'bad', 'zero'] as const).map((m): Case => ({
    name: `ipv4 header and icmp ${m}`,
    layers: [E, ipv4({ src: '192.168.1.1', dst: '8.8.8.8', checksum: m }), icmpEcho({ id: 1, seq: 9, checksum: m }), payload(56)],
    expect: { 'ip.checksum.status': tsTcp[m], 'icmp.checksum.status': tsTcp[m] },
  })),
  {
    name: 'odd-length tcp payload and options',
    layers: [E, IP, tcp({ sport: 1, dport: 2, flags: 'S', options: concatBytes(tcpMss(1460), tcpSackPerm(), tcpWscale(7)) }), payload(7)],
    expect: { 'tcp.checksum.status': '1', 'tcp.options.mss_val': '1460', 'tcp.flags': '2' },
  },
  {
    name: 'ipv4 options (router alert)',
    layers: [E, ipv4({ src: '10.1.1.1', dst: '224.0.0.22', ttl: 1, options: Uint8Array.of(0x94, 4, 0, 0) }), udp({ sport: 1, dport: 2 }), payload(3)],
    expect: { 'ip.checksum.status': '1', 'udp.checksum.status': '1', 'ip.opt.type': '148' },
  },
  {
    name: 'two 802.1Q tags',
    layers: [E, vlan(100), vlan(20, { pcp: 5 }), IP, tcp({ sport: 1, dport: 2 })],
    expect: { 'vlan.id': '100,20', 'ip.checksum.status': '1', 'tcp.checksum.status': '1' },
  },
  {
    name: '802.1ad outer tag',
    layers: [E, vlan(300, { tpid: 0x88a8 }), vlan(20), IP, udp({ sport: 1, dport: 2 })],
    expect: { 'ieee8021ad.id': '300', 'vlan.id': '20', 'udp.checksum.status': '1' },
  },
  {
    name: 'NVGRE with inner TCP bad',
    layers: [E, IP, nvgre({ vsid: 5001, flowId: 0x11 }), E2, IIP, tcp({ sport: 443, dport: 50001, flags: 'PA', checksum: 'bad' }), payload(200)],
    expect: { 'ip.checksum.status': '1,1', 'tcp.checksum.status': '0', 'gre.key': String((5001 << 8) | 0x11) },
  },
  ...(['good', 'bad', 'zero'] as const).map((m): Case => ({
    name: `NVGRE with C and S bits, GRE checksum ${m}`,
    layers: [E, IP, nvgre({ vsid: 6001, flowId: 1, checksum: m, seq: 42 }), E2, IIP, udp({ sport: 53, dport: 40000, checksum: 'partial' }), payload(40)],
    expect: {
      'gre.checksum.status': tsTcp[m], 'gre.key': String((6001 << 8) | 1), 'gre.sequence_number': '42',
      'udp.checksum.status': '0',
    },
  })),
  {
    name: 'plain GRE carrying IPv4',
    layers: [E, IP, gre(), IIP, icmpEcho({ id: 3, seq: 4 })],
    expect: { 'ip.checksum.status': '1,1', 'icmp.checksum.status': '1' },
  },
  {
    name: 'VXLAN, outer UDP checksum good',
    layers: [E, IP, udp({ sport: 49152 }), vxlan(300), E2, IIP, tcp({ sport: 80, dport: 50000, flags: 'SA' })],
    expect: { 'vxlan.vni': '300', 'udp.checksum.status': '1', 'tcp.checksum.status': '1', 'ip.checksum.status': '1,1' },
  },
  {
    name: 'VXLAN, outer UDP zero, inner UDP good',
    layers: [E, IP, udp({ sport: 49152, checksum: 'zero' }), vxlan(300), E2, IIP, udp({ sport: 53, dport: 4000 }), payload(20)],
    expect: { 'vxlan.vni': '300', 'udp.checksum.status': '3,1' },
  },
  {
    name: 'Geneve with an option',
    layers: [
      E, IP, udp({ sport: 50000, checksum: 'good' }),
      geneve(0x123456, { options: [{ cls: 0x0102, type: 0x80, data: Uint8Array.of(0, 0, 0, 1) }] }),
      E2, IIP, tcp({ sport: 5000, dport: 6000, checksum: 'bad' }),
    ],
    expect: { 'geneve.vni': String(0x123456), 'geneve.option.class': '258', 'udp.checksum.status': '1', 'tcp.checksum.status': '0' },
  },
  {
    name: 'Geneve carrying IPv6 with ICMPv6',
    layers: [E, IP, udp({ sport: 50000, checksum: 'zero' }), geneve(77), E2, IP6, icmpv6Echo({ type: 129 })],
    expect: { 'geneve.vni': '77', 'icmpv6.checksum.status': '1' },
  },
  {
    name: 'ARP padded to 60',
    layers: [eth({ src: '00:15:5d:0a:00:0b', dst: 'ff:ff:ff:ff:ff:ff' }), arp({ senderMac: '00:15:5d:0a:00:0b', senderIp: '192.168.10.11', targetIp: '192.168.10.1' })],
    opts: { minLength: 60 },
    expect: { 'frame.len': '60', 'arp.opcode': '1' },
  },
  {
    name: 'short TCP padded to 60 (padding excluded from lengths and checksums)',
    layers: [E, IP, tcp({ sport: 1, dport: 2, flags: 'A' })],
    opts: { minLength: 60 },
    expect: { 'frame.len': '60', 'ip.len': '40', 'tcp.checksum.status': '1' },
  },
  {
    name: 'snaplen truncation',
    layers: [E, IP, nvgre({ vsid: 5001, flowId: 2 }), E2, IIP, tcp({ sport: 443, dport: 50000, flags: 'PA' }), payload(1400)],
    opts: { snaplen: 128 },
    expect: { 'frame.len': '1496', 'frame.cap_len': '128', 'tcp.checksum.status': '2' },
  },
];

function normalise(field: Field, v: string): string {
  // tshark prints some integer fields in hex; compare numbers as decimal.
  if (['gre.key', 'geneve.vni', 'vxlan.vni', 'geneve.option.class', 'ipv6.flow', 'tcp.flags'].includes(field) && v !== '') {
    return v.split(',').map((x) => String(Number(x))).join(',');
  }
  return v;
}

describe('packet-builder against tshark', () => {
  it('frames decode with the expected fields and checksum status', () => {
    const built = cases.map((c) => buildFrame(c.layers, c.opts));
    const dir = mkdtempSync(join(tmpdir(), 'packet-builder-'));
    try {
      const file = join(dir, 'cases.pcapng');
      writeFileSync(file, writePcapng([{ linktype: 1 }], built.map((f, i) => ({
        tsSec: 1764000000 + i, tsNsec: 0, data: f.data.subarray(0, f.caplen), origlen: f.origlen,
      }))));
      const args = ['-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
        '-T', 'fields', '-E', 'separator=\t'];
      for (const f of FIELDS) args.push('-e', f);
      const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const rows = out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
      expect(rows.length).toBe(cases.length);
      const got = cases.map((c, i) => {
        const g: Partial<Record<Field, string>> = {};
        for (const k of Object.keys(c.expect) as Field[]) g[k] = normalise(k, rows[i][FIELDS.indexOf(k)]);
        return { name: c.name, ...g };
      });
      expect(got).toEqual(cases.map((c) => ({ name: c.name, ...c.expect })));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('packet-builder checksum arithmetic', () => {
  it('RFC 1071 example sum', () => {
    const b = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(fold(onesSum(b, 0, b.length))).toBe(0xddf2);
    expect(internetChecksum(b, 0, b.length)).toBe(0x220d);
  });

  it('a known IPv4 header checksum', () => {
    // Classic example header: 4500 0073 0000 4000 4011 [b861] c0a8 0001 c0a8 00c7
    const h = Uint8Array.from([0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0, 0xc0, 0xa8, 0, 1, 0xc0, 0xa8, 0, 0xc7]);
    expect(internetChecksum(h, 0, 20)).toBe(0xb861);
    const f = buildFrame([E, ipv4({ src: '192.168.0.1', dst: '192.168.0.199', df: true, ttl: 64, proto: 17 }), payload(0x73 - 20)]);
    expect(f.layers[1].checksum).toBe(0xb861);
  });

  it('partial = folded pseudo-header sum, bad is neither good, zero nor partial', () => {
    const good = buildFrame([E, IIP, tcp({ sport: 1, dport: 2 }), payload(10)]);
    const part = buildFrame([E, IIP, tcp({ sport: 1, dport: 2, checksum: 'partial' }), payload(10)]);
    const bad = buildFrame([E, IIP, tcp({ sport: 1, dport: 2, checksum: 'bad' }), payload(10)]);
    const expected = fold(pseudoHeaderSum(parseIPv4('10.0.0.1'), parseIPv4('10.0.0.2'), 6, 30));
    expect(part.layers[2].checksum).toBe(expected);
    expect(part.layers[2].goodChecksum).toBe(good.layers[2].checksum);
    const b = bad.layers[2].checksum;
    expect([0, expected, good.layers[2].checksum]).not.toContain(b);
    // Receiver check: the sum over pseudo-header and segment folds to 0xFFFF only for the good one.
    const check = (f: typeof good): number => fold(onesSum(f.data, 34, 30, pseudoHeaderSum(parseIPv4('10.0.0.1'), parseIPv4('10.0.0.2'), 6, 30)));
    expect(check(good)).toBe(0xffff);
    expect(check(bad)).not.toBe(0xffff);
    expect(check(part)).not.toBe(0xffff);
  });

  it('RFC 1624 incremental updates equal a full recomputation', () => {
    let x = 99;
    const rnd = (): number => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
    for (let n = 0; n < 2000; n++) {
      const seq = rnd();
      const f = buildFrame([E, IIP, tcp({ sport: 1, dport: 2, seq, flags: 'PA' }), payload(rnd() % 64)]);
      const tcpInfo = f.layers[2];
      const seq2 = rnd();
      const updated = updateChecksum32(tcpInfo.checksum, seq, seq2);
      const g = buildFrame([E, IIP, tcp({ sport: 1, dport: 2, seq: seq2, flags: 'PA' }), payload(f.data.length - 54)]);
      // 0x0000 and 0xFFFF are the same number in ones' complement; a receiver accepts either.
      const a = updated === 0xffff ? 0 : updated;
      const b = g.layers[2].checksum === 0xffff ? 0 : g.layers[2].checksum;
      expect(a).toBe(b);
      const id2 = rnd() & 0xffff;
      const h = buildFrame([E, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', id: id2 }), tcp({ sport: 1, dport: 2, seq, flags: 'PA' }), payload(f.data.length - 54)]);
      expect(updateChecksum16(f.layers[1].checksum, 77, id2)).toBe(h.layers[1].checksum);
    }
  });
});

describe('packet-builder addresses and layout', () => {
  it('parses addresses', () => {
    expect(Array.from(parseMac('00:15:5D:0a:00:0B'))).toEqual([0, 0x15, 0x5d, 0x0a, 0, 0x0b]);
    expect(Array.from(parseIPv4('192.168.10.11'))).toEqual([192, 168, 10, 11]);
    expect(Array.from(parseIPv6('::'))).toEqual(new Array(16).fill(0));
    expect(Array.from(parseIPv6('fd00::1'))).toEqual([0xfd, 0, ...new Array(13).fill(0), 1]);
    expect(Array.from(parseIPv6('::ffff:1.2.3.4')).slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(Array.from(parseIPv6('1:2:3:4:5:6:7:8'))).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(() => parseIPv6('1::2::3')).toThrow();
    expect(() => parseIPv6('1:2:3')).toThrow();
    expect(() => parseIPv4('1.2.3.256')).toThrow();
    expect(() => parseMac('00:11:22:33:44')).toThrow();
  });

  it('reports layer offsets and checksum positions', () => {
    const f = buildFrame([E, IP, nvgre({ vsid: 5001, flowId: 0x11 }), E2, IIP, tcp({ sport: 443, dport: 50001 }), payload(10)]);
    expect(f.layers.map((l) => [l.kind, l.offset, l.headerLength])).toEqual([
      ['eth', 0, 14], ['ipv4', 14, 20], ['gre', 34, 8], ['eth', 42, 14], ['ipv4', 56, 20], ['tcp', 76, 20], ['payload', 96, 10],
    ]);
    expect(f.layers[5].checksumOffset).toBe(92);
    expect(f.layers[2].checksumOffset).toBe(-1);
    expect(f.origlen).toBe(106);
    expect(f.caplen).toBe(106);
  });

  it('refuses impossible requests', () => {
    expect(() => buildFrame([E, IP, icmpEcho({ checksum: 'partial' })])).toThrow(/partial/);
    expect(() => buildFrame([E, tcp({ sport: 1, dport: 2 })])).toThrow(/explicit type/);
    expect(() => buildFrame([eth({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 0x0800 }), tcp({ sport: 1, dport: 2 })])).toThrow(/IP layer/);
  });
});
