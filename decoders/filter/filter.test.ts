// Display filters: parser, compiler errors, Wireshark's semantics for repeated fields, the two tiers
// (and that they agree frame by frame), and filtered views.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildFrame, eth, geneve, icmpEcho, ipv4, ipv6, nvgre, payload, tcp, udp, vlan, vxlan,
} from '../../scripts/lib/packet-builder.ts';
import type { Layer } from '../../scripts/lib/packet-builder.ts';
import { listSharedCaptures } from '../../scripts/lib/shared-captures.ts';
import { Engine } from '../analysis/engine.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { writePcapng, type PcapngPacket } from '../capture/pcapng-writer.ts';
import { compile } from './compile.ts';
import { caretText, FilterError, nearestNames } from './errors.ts';
import { parse, type Expr } from './parser.ts';
import { PENDING, resolvePending } from './runner.ts';

const T0 = 1764000000;
const M1 = '00:15:5d:00:00:01', M2 = '00:15:5d:00:00:02';
const E = () => eth({ src: M1, dst: M2 });

/** Frames of the test capture, by name (frame number = index + 1). */
const FRAMES: [string, Layer[], number?][] = [
  ['plain-tcp', [E(), ipv4({ src: '10.0.0.1', dst: '10.0.0.2', ttl: 64 }), tcp({ sport: 50000, dport: 443, flags: 'S' }), payload(10)]],
  ['nvgre-tcp', [E(), ipv4({ src: '192.168.0.1', dst: '192.168.0.2' }), nvgre({ vsid: 5001, flowId: 7 }), E(),
    ipv4({ src: '10.0.0.1', dst: '10.9.9.9' }), tcp({ sport: 1234, dport: 80, flags: 'SA' }), payload(20)]],
  ['nvgre-bad', [E(), ipv4({ src: '192.168.0.3', dst: '192.168.0.2' }), nvgre({ vsid: 5002, flowId: 1 }), E(),
    ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), tcp({ sport: 1234, dport: 80, checksum: 'bad' }), payload(20)]],
  ['vxlan-udp', [E(), ipv4({ src: '192.168.1.1', dst: '192.168.1.2' }), udp({ sport: 40000, dport: 4789 }), vxlan(300), E(),
    ipv4({ src: '10.1.0.1', dst: '10.1.0.2' }), udp({ sport: 5353, dport: 53, checksum: 'partial' }), payload(12)]],
  ['geneve-v6', [E(), ipv4({ src: '192.168.2.1', dst: '192.168.2.2' }), udp({ sport: 40001, dport: 6081 }), geneve(77), E(),
    ipv6({ src: 'fe80::1', dst: '2001:db8::2' }), tcp({ sport: 22, dport: 50022 }), payload(4)]],
  ['icmp-error', [E(), ipv4({ src: '10.0.0.254', dst: '10.0.0.1' }), icmpEcho({ type: 3, code: 3 }),
    ipv4({ src: '10.0.0.1', dst: '172.16.0.9' }), udp({ sport: 33000, dport: 33434 })]],
  ['vlan-ipv6', [E(), vlan(20), ipv6({ src: '2001:db8::1', dst: 'ff02::1', hopLimit: 255 }), udp({ sport: 546, dport: 547 }), payload(8)]],
  ['nvgre-in-vxlan', [E(), ipv4({ src: '192.168.1.1', dst: '192.168.1.2' }), udp({ sport: 40000, dport: 4789 }), vxlan(301), E(),
    ipv4({ src: '172.20.0.1', dst: '172.20.0.2' }), nvgre({ vsid: 6000, flowId: 2 }), E(),
    ipv4({ src: '10.7.0.1', dst: '10.7.0.2' }), tcp({ sport: 1, dport: 2 }), payload(4)]],
  ['truncated', [E(), ipv4({ src: '10.0.0.5', dst: '10.0.0.6' }), tcp({ sport: 7, dport: 8 }), payload(100)], 60],
  ['fragment', [E(), ipv4({ src: '10.0.0.7', dst: '10.0.0.8', fragOffset: 100, proto: 6 }), payload(40)]],
];

async function engineOf(frames: [string, Layer[], number?][]): Promise<{ e: Engine; bytes: Uint8Array }> {
  const packets: PcapngPacket[] = frames.map(([, layers, snaplen], i) => {
    const f = buildFrame(layers, { snaplen });
    return { tsSec: T0 + i, tsNsec: 0, data: f.data.subarray(0, f.caplen), origlen: f.origlen };
  });
  const bytes = writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], packets);
  const e = new Engine();
  await e.load(new MemorySource(bytes), 't.pcapng');
  return { e, bytes };
}

/** Frame names matching a filter, column tier and byte tier together. */
async function names(f: string): Promise<string[]> {
  const { e, bytes } = await built;
  const run = e.filters.get(f);
  await resolvePending(e, run, new MemorySource(bytes));
  return FRAMES.filter((_, i) => run.state[i] === 1).map(([n]) => n);
}

const built = engineOf(FRAMES);

function shape(e: Expr): string {
  switch (e.t) {
    case 'or': case 'and': case 'xor': return `(${shape(e.a)} ${e.t} ${shape(e.b)})`;
    case 'not': return `!${shape(e.a)}`;
    case 'test': return e.e.t === 'word' ? e.e.text : e.e.t;
    case 'cmp': return `${e.a.t === 'word' ? e.a.text : e.a.t}${e.op}${e.b.t === 'word' ? e.b.text : e.b.t}`;
    default: return e.t;
  }
}

function errorOf(f: string): FilterError {
  try {
    compile(f);
  } catch (err) {
    if (err instanceof FilterError) return err;
    throw err;
  }
  throw new Error(`no error for ${f}`);
}

describe('parser', () => {
  it('binds not, then and, then or (as Wireshark 4)', () => {
    expect(shape(parse('a or b and c'))).toBe('(a or (b and c))');
    expect(shape(parse('a && b || c && d'))).toBe('((a and b) or (c and d))');
    expect(shape(parse('not a and b'))).toBe('(!a and b)');
    expect(shape(parse('!(a or b) and c'))).toBe('(!(a or b) and c)');
    expect(shape(parse('ip.src==10.0.0.1&&tcp'))).toBe('(ip.src==10.0.0.1 and tcp)');
  });

  it('reads operators as symbols and words, sets with commas or spaces, ranges, slices and layers', () => {
    for (const [w, s] of [['eq', '=='], ['ne', '!='], ['gt', '>'], ['le', '<='], ['any_ne', '!=='], ['all_eq', '===']]) {
      const e = parse(`frame.len ${w} 5`);
      expect(e.t === 'cmp' && e.op).toBe(s);
    }
    const set = parse('tcp.port in {80, 443 8000..8080}');
    expect(set.t === 'in' && set.items.map((i) => [i.lo.t === 'word' && i.lo.text, i.hi?.t === 'word' ? i.hi.text : null])).toEqual([
      ['80', null], ['443', null], ['8000', '8080'],
    ]);
    const neg = parse('tcp.port not in {80}');
    expect(neg.t === 'in' && neg.neg).toBe(true);
    const sl = parse('eth.src[0:3] == 00:11:22');
    expect(sl.t === 'cmp' && sl.a.t === 'word' && sl.a.slice).toEqual([{ from: 0, len: 3 }]);
    const sl2 = parse('frame[1-2,-1] == 01:02:03');
    expect(sl2.t === 'cmp' && sl2.a.t === 'word' && sl2.a.slice).toEqual([{ from: 1, len: 2 }, { from: -1, len: 1 }]);
    const layer = parse('ip.src#2 == 10.0.0.1');
    expect(layer.t === 'cmp' && layer.a.t === 'word' && layer.a.layer).toBe(2);
    const band = parse('(tcp.flags & 0x12) == 0x12');
    expect(band.t === 'cmp' && band.a.t).toBe('band');
    expect(parse('frame contains "a\\"b\\x41"').t).toBe('contains');
  });

  it('says where it fails and what it expected', () => {
    const cases: [string, RegExp, number][] = [
      ['', /empty/, 0],
      ['ip.src ==', /expected a value or a field after '=='/, 7],
      ['(tcp or udp', /expected '\)' to close the '\(' at position 1/, 0],
      ['tcp.port in {80, 443', /expected '}' to close the set/, 12],
      ['tcp.port in 80', /expected '\{' after 'in'/, 12],
      ['ip.src == 10.0.0.1 udp', /expected 'and', 'or' or the end of the filter, found 'udp'/, 19],
      ['tcp udp', /expected an operator .* found 'udp'/, 4],
      ['tcp and', /expected a field or a value, found the end/, 7],
      ['frame contains "abc', /string is not closed/, 15],
      ['tcp)', /'\)' without a matching '\('/, 3],
      ['ip.src#x == 1.2.3.4', /layer number after '#'/, 6],
      ['eth.src[a:b] == 00', /not a byte range/, 8],
      ['tcp.port == 80 $', /unexpected character '\$'/, 15],
    ];
    for (const [f, re, at] of cases) {
      const err = errorOf(f);
      expect(err.message, f).toMatch(re);
      expect(err.start, f).toBe(at);
    }
  });
});

describe('compiler', () => {
  it('suggests the nearest field for an unknown one', () => {
    expect(errorOf('ip.scr == 10.0.0.1').message).toBe("'ip.scr' is not a known field or protocol; did you mean 'ip.src'?");
    expect(errorOf('tcp.prot == 80').message).toMatch(/did you mean 'tcp.port'/);
    expect(errorOf('vni == 5').message).toMatch(/'vxlan.vni'|'geneve.vni'/);
    expect(errorOf('nvgre.vsdi').message).toMatch(/did you mean 'nvgre.vsid'/);
    const e = errorOf('tcp && ip.scr');
    expect([e.start, e.end]).toEqual([7, 13]);
    expect(nearestNames('ip.dts', ['ip.dst', 'ip.src', 'ipv6.dst'])[0]).toBe('ip.dst');
  });

  it('parses literals for the field type and names the type when it cannot', () => {
    expect(errorOf('ip.src == 10.0.0.300').message).toBe("'10.0.0.300' is not an IPv4 address (ip.src is an IPv4 address)");
    expect(errorOf('ip.src == example.com').message).toMatch(/'example.com' is not an IPv4 address \(host names are not resolved\), nor a field/);
    expect(errorOf('ip.addr == 10.0.0.0/33').message).toMatch(/prefix length for IPv4/);
    expect(errorOf('tcp.port == -1').message).toMatch(/no negative values/);
    expect(errorOf('eth.src == 00:11:22').start).toBe(11);
    expect(errorOf('tcp.checksum.status == fine').message).toMatch(/good, bad, partial, zero or unverified/);
    expect(errorOf('tcp.port contains 80').message).toMatch(/'contains' works on byte, protocol and string fields; tcp.port is an unsigned integer/);
    expect(errorOf('tcp.checksum.status > good').message).toMatch(/does not order/);
    expect(errorOf('10 == 20').message).toMatch(/neither side of '==' is a field/);
    expect(errorOf('ip.addr == 10.0.0.1 or 10.0.0.2').message).toBe("'10.0.0.2' is a value, not a test: name the field again (… or field == 10.0.0.2)");
    expect(errorOf('ip.src == tcp.port').message).toMatch(/cannot compare ip.src \(an IPv4 address\) with tcp.port/);
    expect(errorOf('ip.src & 0xff').message).toMatch(/'&' needs an integer field/);
    expect(errorOf('tcp.port[0:1] == 00').message).toMatch(/only byte, address, protocol and string fields can be sliced/);
    expect(errorOf('frame matches "("').message).toMatch(/not a valid regular expression/);
    for (const ok of [
      'ip.addr == 10.0.0.0/8', 'ipv6.addr == fe80::/10', 'ipv6.src == ::ffff:10.0.0.1', 'eth.src == 00-15-5d-00-00-01',
      'eth.dst == 0015.5d00.0001', 'tcp.flags == 0x012', 'tcp.port == 0b101', 'ip.ttl == 0100', 'ip.flags.df == True',
      'udp.checksum.status == partial', 'tcp.checksum.status == 1', 'frame.time >= "2025-11-24T16:00:00Z"',
      'frame.time_relative > 0.5', 'tenant.encap == nvgre', 'tenant.encap == "vxlan"', 'frame contains 47:45:54',
      "tcp.srcport == 'a'", 'tcp.port in {80..90 443}', 'ip.src == ip.dst', 'len(data.data) > 3', 'count(ip.src) == 2',
      'upper(tenant.encap) == "NVGRE"', 'frame matches "(?i)get"',
    ]) expect(() => compile(ok), ok).not.toThrow();
  });

  it('points a caret at the error for terminals', () => {
    expect(caretText('ip.scr == 1', { message: 'unknown', start: 0, end: 6 })).toBe('ip.scr == 1\n^~~~~~ unknown');
  });
});

describe('evaluation (Wireshark semantics)', () => {
  it('== matches any layer; != needs the field and no layer equal; ~= any layer different; === every layer', async () => {
    expect(await names('ip.src == 10.0.0.1')).toEqual(['plain-tcp', 'nvgre-tcp', 'nvgre-bad', 'icmp-error']);
    expect(await names('ip.src != 10.0.0.1')).toEqual(['vxlan-udp', 'geneve-v6', 'nvgre-in-vxlan', 'truncated', 'fragment']);
    expect(await names('!(ip.src == 10.0.0.1)')).toEqual(['vxlan-udp', 'geneve-v6', 'vlan-ipv6', 'nvgre-in-vxlan', 'truncated', 'fragment']);
    expect(await names('ip.src ~= 10.0.0.1')).toEqual(['nvgre-tcp', 'nvgre-bad', 'vxlan-udp', 'geneve-v6', 'icmp-error', 'nvgre-in-vxlan', 'truncated', 'fragment']);
    expect(await names('ip.src === 10.0.0.1')).toEqual(['plain-tcp']);
  });

  it('#n picks a layer (negative from the last); count() counts them; ICMP-quoted headers are layers', async () => {
    expect(await names('ip.src#2 == 10.0.0.1')).toEqual(['nvgre-tcp', 'nvgre-bad', 'icmp-error']);
    expect(await names('ip.src#1 == 10.0.0.1')).toEqual(['plain-tcp']);
    expect(await names('ip.src#-1 == 10.7.0.1')).toEqual(['nvgre-in-vxlan']);
    expect(await names('ip.dst#3 == 10.7.0.2')).toEqual(['nvgre-in-vxlan']);
    expect(await names('count(ip.src) == 3')).toEqual(['nvgre-in-vxlan']);
    expect(await names('udp.dstport == 33434')).toEqual(['icmp-error']);
    expect(await names('udp && icmp')).toEqual(['icmp-error']);
  });

  it('sets, ranges, not in, CIDR, IPv6 prefixes, bitwise and, slices, contains, matches, field against field', async () => {
    expect(await names('tcp.port in {80, 443}')).toEqual(['plain-tcp', 'nvgre-tcp', 'nvgre-bad']);
    expect(await names('tcp.dstport in {50000..60000}')).toEqual(['geneve-v6']);
    expect(await names('tcp.port not in {80 443}')).toEqual(['vxlan-udp', 'geneve-v6', 'icmp-error', 'vlan-ipv6', 'nvgre-in-vxlan', 'truncated', 'fragment']);
    expect(await names('ip.dst == 172.16.0.0/12')).toEqual(['icmp-error', 'nvgre-in-vxlan']);
    expect(await names('ipv6.addr == fe80::/10')).toEqual(['geneve-v6']);
    expect(await names('ipv6.dst == ff02::1 && ipv6.hlim == 255 && vlan.id == 20')).toEqual(['vlan-ipv6']);
    expect(await names('tcp.flags & 0x02')).toEqual(['plain-tcp', 'nvgre-tcp']);
    expect(await names('(tcp.flags & 0x12) == 0x12')).toEqual(['nvgre-tcp']);
    expect(await names('tcp.flags.syn == 1 and tcp.flags.ack == 0')).toEqual(['plain-tcp']);
    expect(await names('eth.src[0:3] == 00:15:5d')).toHaveLength(FRAMES.length);
    expect(await names('ip.src[3] == 01 && ip.src[0] == 0a')).toEqual(['plain-tcp', 'nvgre-tcp', 'nvgre-bad', 'vxlan-udp', 'icmp-error', 'nvgre-in-vxlan']);
    // Field against field: any pair (the ICMP error's quoted source is its destination).
    expect(await names('ip.src == ip.dst')).toEqual(['icmp-error']);
    expect(await names('ip.src#1 == ip.src#2')).toEqual([]);
    expect(await names('udp contains 12:b5')).toEqual(['vxlan-udp', 'nvgre-in-vxlan']); // port 4789
    expect(await names('frame matches "^\\\\x00\\\\x15"')).toHaveLength(FRAMES.length);
    expect(await names('len(eth.src) == 6 && len(ipv6.src) == 16')).toEqual(['geneve-v6', 'vlan-ipv6']);
  });

  it('knows tunnels, tenants and checksum verdicts', async () => {
    expect(await names('nvgre.vsid == 5001')).toEqual(['nvgre-tcp']);
    expect(await names('gre.key == 0x00138907')).toEqual(['nvgre-tcp']);
    expect(await names('tenant.vnid in {300 301} && tenant.encap == vxlan')).toEqual(['vxlan-udp', 'nvgre-in-vxlan']);
    expect(await names('nvgre.vsid == 6000')).toEqual(['nvgre-in-vxlan']);
    expect(await names('tenant.vnid == 6000')).toEqual([]);
    expect(await names('geneve.vni == 77 and ipv6')).toEqual(['geneve-v6']);
    expect(await names('udp.port == 4789')).toEqual(['vxlan-udp', 'nvgre-in-vxlan']);
    expect(await names('tcp.checksum.status == bad')).toEqual(['nvgre-bad']);
    expect(await names('checksum.bad')).toEqual(['nvgre-bad']);
    expect(await names('checksum.partial')).toEqual(['vxlan-udp']);
    expect(await names('udp.checksum.status == partial')).toEqual(['vxlan-udp']);
    expect(await names('udp.checksum.status == 0')).toEqual(['vxlan-udp']);
    expect(await names('tcp.checksum.status == unverified')).toEqual(['truncated']);
    expect(await names('!checksum.bad && !checksum.partial && tenant')).toEqual(['nvgre-tcp', 'geneve-v6', 'nvgre-in-vxlan']);
    expect(await names('frame.number >= 9')).toEqual(['truncated', 'fragment']);
    expect(await names('frame.cap_len < frame.len')).toEqual(['truncated']);
    expect(await names('frame.time_relative > 7.5')).toEqual(['truncated', 'fragment']);
    expect(await names('frame.time == "2025-11-24T16:00:01Z"')).toEqual(['nvgre-tcp']);
    expect(await names('tcp')).toEqual(['plain-tcp', 'nvgre-tcp', 'nvgre-bad', 'geneve-v6', 'nvgre-in-vxlan', 'truncated']);
    expect(await names('ip.flags.mf == 0 && ip.frag_offset > 0')).toEqual(['fragment']);
  });

  it('decides frames from the columns where it can, and the byte tier agrees with it', async () => {
    const { e, bytes } = await built;
    const columnOnly = e.filters.get('tenant.vnid == 5001 && tcp.dstport == 80 && !checksum.bad');
    expect(columnOnly.pending).toBe(0);
    const needsBytes = e.filters.get('ip.ttl == 64');
    expect(needsBytes.pending).toBe(FRAMES.length);
    const mixed = e.filters.get('tenant.vnid == 5001 && ip.ttl == 64');
    expect(mixed.pending).toBe(1); // only the one frame of tenant 5001 needs its bytes
    await resolvePending(e, mixed, new MemorySource(bytes));
    expect(mixed.pending).toBe(0);
    expect(mixed.matched).toBe(1);
  });
});

describe('filtered views', () => {
  it('rows, status and indexOf follow the filter; a bad filter throws a FilterError', async () => {
    const { e, bytes } = await engineOf(FRAMES);
    const view = { tenant: null, sort: null, filter: 'tenant' };
    expect(e.status(view).shown).toBe(5);
    expect(e.rows(0, 10, view).rows.map((r) => r.n)).toEqual([2, 3, 4, 5, 8]);
    expect(e.indexOf(4, view)).toBe(2);
    expect(e.indexOf(1, view)).toBe(-1);
    expect(e.rows(0, 10, { ...view, sort: { column: 'no', desc: true } }).rows.map((r) => r.n)).toEqual([8, 5, 4, 3, 2]);
    expect(e.rows(0, 10, { ...view, tenant: 'nvgre:5001' }).rows.map((r) => r.n)).toEqual([2]);
    expect(Array.from(e.viewFrames({ ...view, filter: 'checksum.bad or checksum.partial' }))).toEqual([3, 4]);
    // Byte tier: rows appear as frames resolve.
    const ttl = { tenant: null, sort: null, filter: 'ip.ttl == 64 && !tenant' };
    expect(e.status(ttl).shown).toBe(0);
    await resolvePending(e, e.filters.get(ttl.filter), new MemorySource(bytes));
    expect(e.rows(0, 10, ttl).rows.map((r) => r.n)).toEqual([1, 6, 9, 10]);
    expect(() => e.status({ ...view, filter: 'ip.src ==' })).toThrow(FilterError);
  });
});

/** Column tier and byte tier must agree on every frame the column tier decides. */
async function agreement(e: Engine, bytes: Uint8Array, filters: readonly string[]): Promise<string[]> {
  const bad: string[] = [];
  const st = e.store;
  for (const f of filters) {
    const run = e.filters.get(f);
    for (let i = 0; i < st.count; i++) {
      const s = run.state[i];
      if (s === PENDING) continue;
      const frameBytes = (j: number): Uint8Array => bytes.subarray(st.offset[j], st.offset[j] + st.caplen[j]);
      // A frame that reassembled IP fragments is decided over the datagram: its fragments' bytes too.
      const others = new Map(e.detailFrames(i + 1).map((n) => [n, frameBytes(n - 1)] as const));
      const b = run.test(i, frameBytes(i), others);
      if ((s === 1) !== b) bad.push(`${f} #${i + 1}: columns ${s === 1}, bytes ${b}`);
    }
  }
  return bad;
}

const COLUMN_FILTERS = [
  'ip', 'ipv6', 'tcp', 'udp', 'icmp', 'icmpv6', 'gre', 'nvgre', 'vxlan', 'geneve', 'eth', 'tenant', 'frame',
  'ip.src == 10.0.0.0/8', 'ip.dst != 192.168.0.0/16', 'ip.addr === 10.0.0.1', 'ip.addr ~= 10.0.0.1', 'ip.src#1 == 10.0.0.0/8',
  'ip.src#2 == 10.0.0.0/8', 'ip.dst#-1 > 10.0.0.0', 'ipv6.src == fe80::/10', 'ipv6.addr == 2001:db8::/32', 'ip.proto == 17',
  'ip.proto in {6 47}', 'ipv6.nxt == 58', 'tcp.port == 80', 'tcp.srcport < 1024', 'tcp.dstport >= 1024', 'tcp.flags == 0x012',
  'tcp.flags & 0x04', 'tcp.flags.syn == 1', 'tcp.flags.ack', 'udp.port == 4789', 'udp.srcport in {53, 67..68}',
  'udp.dstport != 53', 'icmp.type == 3', 'icmp.code != 0', 'icmpv6.type in {133..137}', 'gre.key > 0', 'gre.proto == 0x6558',
  'nvgre.vsid > 5000', 'nvgre.flowid == 0', 'vxlan.vni < 1000', 'geneve.vni', 'ip.checksum.status == good',
  'tcp.checksum.status == bad', 'udp.checksum.status in {zero, partial}', 'icmp.checksum.status == 1',
  'gre.checksum.status == 0', 'icmpv6.checksum.status == unverified', 'tcp.checksum.status#2 == good',
  'checksum.zero', 'checksum.bad.check == "inner.tcp"', 'checksum.partial.check in {"tcp" "inner.udp"}', 'checksum.zero.check == "udp"',
  'checksum.zero.check != "ipv4"', 'checksum.unverified.check === "inner.tcp"', 'checksum.bad.check == "inner.inner.tcp"',
];

describe('column tier agrees with the byte tier', () => {
  it('on built frames (tunnels, depth 2, ICMP error, truncation, fragment)', async () => {
    const { e, bytes } = await engineOf(FRAMES);
    expect(await agreement(e, bytes, COLUMN_FILTERS)).toEqual([]);
  });

  it('on the demo capture', async () => {
    const bytes = new Uint8Array(readFileSync(fileURLToPath(new URL('../../public/samples/demo.pcapng', import.meta.url))));
    const e = new Engine();
    await e.load(new MemorySource(bytes), 'demo.pcapng');
    expect(await agreement(e, bytes, COLUMN_FILTERS)).toEqual([]);
  });

  it('on the shared captures', { timeout: 120_000 }, async () => {
    const bad: string[] = [];
    for (const cap of listSharedCaptures()) {
      if (!/\.(pcap|pcapng|cap|ntar)$/.test(cap.rel) || cap.size > 2_000_000) continue;
      const bytes = new Uint8Array(readFileSync(cap.path));
      const e = new Engine();
      try {
        await e.load(new MemorySource(bytes), cap.rel);
      } catch {
        continue;
      }
      for (const m of await agreement(e, bytes, COLUMN_FILTERS)) bad.push(`${cap.rel}: ${m}`);
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
});
