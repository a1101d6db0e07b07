// DNS, mDNS and LLMNR: the hot path names the layer, the details carry Wireshark's fields, and the Protocol and
// Info columns and display filters agree with tshark 4.0 on generated messages (plain, in tunnels, over TCP,
// with odd names and cut short).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AA, QR, RA, RD, dnsMessage, dnsName, dnsOverTcp, dnsPointer, optRr, overTcp, overUdp, rdA, rdAaaa, rdMx, rdSoa, rdSrv, rdTxt,
} from '../../scripts/lib/app-payloads.ts';
import { TSHARK, framesCapture, ourMatches, ourRows, tsharkColumns, tsharkMatches, withFile } from '../../scripts/lib/tshark-rows.ts';
import { detail, dissect } from '../dissect.ts';
import { N_MALFORMED, N_TRUNCATED, newSummary, type TreeNode } from '../summary.ts';
import { L_DNS, L_LLMNR, L_MDNS, L_UDP } from './ids.ts';

const q = (name: string, type = 1) => ({ name, type });
const ptrTo12: number[] = dnsPointer(12);

/** Named messages, each with the frame that carries it. */
const FRAMES: Array<[string, Uint8Array]> = [
  ['A query', overUdp(53001, 53, dnsMessage({ id: 0x1a2b, flags: RD, qd: [q('api.example')] }))],
  ['answer with CNAME, A, AAAA', overUdp(53, 53001, dnsMessage({
    id: 0x1a2b, flags: QR | RD | RA, qd: [q('www.example.org')],
    an: [
      { name: ptrTo12, type: 5, rdata: dnsName('edge.example.net') },
      { name: 'edge.example.net', type: 1, rdata: rdA('10.0.0.1') },
      { name: 'edge.example.net', type: 28, rdata: rdAaaa('2001:db8::1') },
    ],
  }))],
  ['no such name', overUdp(53, 53002, dnsMessage({
    id: 0xbeef, flags: QR | RD | RA | 3, qd: [q('nope.example', 28)],
    ns: [{ name: 'example', type: 6, rdata: rdSoa('ns1.example', 'hostmaster.example', 2024010101) }],
  }))],
  ['MX, SRV, TXT, NS, PTR', overUdp(53, 53003, dnsMessage({
    id: 7, flags: QR | AA, qd: [q('example.com', 255)],
    an: [
      { name: ptrTo12, type: 15, rdata: rdMx(10, 'mail.example.com') },
      { name: '_sip._udp.example.com', type: 33, rdata: rdSrv(0, 5, 5060, 'sip.example.com') },
      { name: ptrTo12, type: 16, rdata: rdTxt('v=spf1 -all', 'second') },
      { name: ptrTo12, type: 2, rdata: dnsName('ns1.example.com') },
      { name: '1.0.0.10.in-addr.arpa', type: 12, rdata: dnsName('host.example.com') },
    ],
    ar: [optRr(4096, true)],
  }))],
  ['query with EDNS', overUdp(53004, 53, dnsMessage({ id: 0x0102, flags: RD, qd: [q('example.org', 16)], ar: [optRr(1232)] }))],
  ['reverse query over IPv6', overUdp(53005, 53, dnsMessage({ id: 0x4242, flags: RD, qd: [q('6.0.0.10.in-addr.arpa', 12)] }), { v6: true })],
  ['in VXLAN', overUdp(53006, 53, dnsMessage({ id: 0x0a0a, flags: RD, qd: [q('tenant.internal')] }), { tunnel: 'vxlan' })],
  ['in NVGRE', overUdp(53, 53006, dnsMessage({ id: 0x0a0a, flags: QR | RD | RA, qd: [q('tenant.internal')], an: [{ name: ptrTo12, type: 1, rdata: rdA('172.16.0.9') }] }), { tunnel: 'nvgre' })],
  ['in Geneve', overUdp(53007, 53, dnsMessage({ id: 0x0b0b, flags: RD, qd: [q('geneve.internal', 28)] }), { tunnel: 'geneve' })],
  ['over TCP', overTcp(53008, 53, dnsOverTcp(dnsMessage({ id: 0x7777, flags: RD, qd: [q('tcp.example', 252)] })))],
  ['zone change notification', overUdp(53009, 53, dnsMessage({ id: 0x5151, flags: 4 << 11 | AA, qd: [q('example.com', 6)] }))],
  ['dynamic update with a delete', overUdp(53010, 53, dnsMessage({
    id: 0x6919, flags: 5 << 11, qd: [q('example.com', 6)],
    ns: [{ name: 'old.example.com', type: 5, cls: 255, ttl: 0, rdata: [] }, { name: 'new.example.com', type: 1, rdata: rdA('10.9.9.9') }],
  }))],
  ['odd characters in a label', overUdp(53011, 53, dnsMessage({
    id: 0x0001, flags: RD, qd: [{ name: [5, 0x61, 0x20, 0x0d, 0x5c, 0x2e, 4, 0xc3, 0xa9, 0xff, 0x7f, 0], type: 1 }],
  }))],
  // An unknown extended label type (0x62) ends the name: the type and class are read from the next bytes.
  ['extended label', overUdp(53012, 53, [0, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x62, 0x63, 0x62, 0x63, 0x64, 0, 1, 0, 0])],
  ['extended label first', overUdp(53012, 53, [0, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x62, 0x63, 0x64, 0, 1])],
  ['bit-string label', overUdp(53012, 53, dnsMessage({ id: 0x0003, flags: RD, qd: [{ name: [3, 0x61, 0x62, 0x63, 0x41, 0], type: 1 }] }))],
  ['header cut short', overUdp(53013, 53, [0x12, 0x34, 0x01, 0x00, 0x00, 0x01])],
  ['mDNS QU query', overUdp(5353, 5353, dnsMessage({ id: 0, flags: 0, qd: [{ name: 'printer.local', type: 1, cls: 0x8001 }] }), { dst: '224.0.0.251' })],
  ['mDNS response with cache flush', overUdp(5353, 5353, dnsMessage({
    id: 0, flags: QR | AA, an: [{ name: 'printer.local', type: 1, cls: 0x8001, ttl: 120, rdata: rdA('10.0.0.7') }],
  }), { dst: '224.0.0.251' })],
  ['LLMNR query', overUdp(61000, 5355, dnsMessage({ id: 0xd0c8, flags: 0, qd: [q('fileserver', 255)] }), { v6: true, dst: 'ff02::1:3' })],
];

const rowsOf = async () => ourRows(framesCapture(FRAMES.map(([, f]) => f)));

function find(nodes: readonly TreeNode[], field: string): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (ns: readonly TreeNode[]) => {
    for (const n of ns) {
      if (n.field === field) out.push(n);
      if (n.children) walk(n.children);
    }
  };
  walk(nodes);
  return out;
}

const frame = (name: string): Uint8Array => FRAMES.find(([n]) => n === name)?.[1] ?? new Uint8Array();

describe('DNS, mDNS, LLMNR', () => {
  it('the hot path names the layer by its port, and only when there is a payload', () => {
    const s = newSummary();
    const top = (f: Uint8Array) => { dissect(f, 0, f.length, f.length, 1, s); return s.topProto; };
    expect(top(frame('A query'))).toBe(L_DNS);
    expect(top(frame('in VXLAN'))).toBe(L_DNS);
    expect(top(frame('over TCP'))).toBe(L_DNS);
    expect(top(frame('mDNS QU query'))).toBe(L_MDNS);
    expect(top(frame('LLMNR query'))).toBe(L_LLMNR);
    expect(top(overUdp(53001, 53, []))).toBe(L_UDP);
    const cut = frame('header cut short');
    expect(top(cut)).toBe(L_DNS);
    expect(s.notes & N_MALFORMED).toBe(N_MALFORMED);
    // Cut by the capture (snaplen), not by its sender: truncated, not malformed.
    const whole = frame('A query');
    dissect(whole, 0, 14 + 20 + 8 + 6, whole.length, 1, s);
    expect([s.topProto, s.notes & (N_TRUNCATED | N_MALFORMED)]).toEqual([L_DNS, N_TRUNCATED]);
  });

  it('the details carry Wireshark\'s fields', () => {
    const f = frame('answer with CNAME, A, AAAA');
    const t = detail(f, 0, f.length, f.length, 1);
    expect(t[t.length - 1].label).toBe('Domain Name System (response)');
    expect(find(t, 'dns.id')[0].raw).toBe(0x1a2b);
    expect(find(t, 'dns.flags.response')[0].raw).toBe(1);
    expect(find(t, 'dns.qry.name').map((n) => n.value)).toEqual(['www.example.org']);
    expect(find(t, 'dns.resp.name').map((n) => n.value)).toEqual(['www.example.org', 'edge.example.net', 'edge.example.net']);
    expect(find(t, 'dns.cname')[0].value).toBe('edge.example.net');
    expect(find(t, 'dns.a')[0].value).toBe('10.0.0.1');
    expect(find(t, 'dns.aaaa')[0].value).toBe('2001:db8::1');
    const tcp = frame('over TCP');
    expect(find(detail(tcp, 0, tcp.length, tcp.length, 1), 'dns.length')[0].raw).toBe(29);
    const mdns = frame('mDNS response with cache flush');
    const mt = detail(mdns, 0, mdns.length, mdns.length, 1);
    expect(mt[mt.length - 1].field).toBe('mdns');
    expect(find(mt, 'dns.resp.cache_flush')[0].raw).toBe(1);
  });

  it('Protocol and Info read as Wireshark writes them', async () => {
    const rows = await rowsOf();
    const byName = new Map(rows.map((r) => [FRAMES[r.n - 1][0], `${r.protocol} | ${r.info}`]));
    expect(byName.get('A query')).toBe('DNS | Standard query 0x1a2b A api.example');
    expect(byName.get('answer with CNAME, A, AAAA')).toBe(
      'DNS | Standard query response 0x1a2b A www.example.org CNAME edge.example.net A 10.0.0.1 AAAA 2001:db8::1');
    expect(byName.get('no such name')).toBe('DNS | Standard query response 0xbeef No such name AAAA nope.example SOA ns1.example');
    expect(byName.get('mDNS QU query')).toBe('MDNS | Standard query 0x0000 A printer.local, "QU" question');
    expect(byName.get('LLMNR query')).toBe('LLMNR | Standard query 0xd0c8 ANY fileserver');
    expect(byName.get('header cut short')).toBe('DNS | Standard query 0x1234 [malformed]');
  });

  it('Protocol and Info agree with tshark on every generated message', async () => {
    expect(existsSync(TSHARK), `${TSHARK} (apt-get install tshark)`).toBe(true);
    const bytes = framesCapture(FRAMES.map(([, f]) => f));
    const ts = withFile(bytes, tsharkColumns);
    const rows = await ourRows(bytes);
    // tshark writes a malformed message's marker without a space; ours is the app's note.
    const want = rows.map((r) => `${FRAMES[r.n - 1][0]}: ${(ts.get(r.n) ?? '').replace('[Malformed Packet]', ' [malformed]')}`);
    expect(rows.map((r) => `${FRAMES[r.n - 1][0]}: ${r.protocol} | ${r.info}`)).toEqual(want);
  });

  it('display filters on dns.* fields match the frames tshark matches', async () => {
    const bytes = framesCapture(FRAMES.map(([, f]) => f));
    const filters = [
      'dns', 'mdns', 'llmnr', 'dns.flags.response == 1', 'dns.flags.response == 0 && udp', 'dns.qry.name == "api.example"',
      'dns.qry.name contains "internal"', 'dns.qry.type == 28', 'dns.a == 10.0.0.0/8', 'dns.aaaa', 'dns.cname', 'dns.flags.rcode == 3',
      'dns.count.answers >= 2', 'dns.mx.mail_exchange == "mail.example.com"', 'dns.srv.port == 5060', 'dns.txt contains "spf"',
      'dns.soa.mname', 'dns.rr.udp_payload_size == 4096', 'dns.resp.z.do == 1', 'dns.resp.ttl > 100', 'dns.qry.qu == 1',
      'dns.resp.cache_flush', 'dns.flags.opcode == 4', 'dns.count.zones == 1', 'dns.ptr.domain_name contains "host"',
      'dns.ns', 'dns.length > 0', 'dns.id == 0x1a2b', 'tcp && dns', 'vxlan && dns.qry.name', 'not dns and udp',
    ];
    const mismatches: string[] = [];
    await withFile(bytes, async (path) => {
      for (const f of filters) {
        const theirs = [...tsharkMatches(path, f)].sort((a, b) => a - b);
        const ours = [...(await ourMatches(bytes, f))].sort((a, b) => a - b);
        if (theirs.length === 0) mismatches.push(`${f}: tshark matches nothing (a filter that tests nothing)`);
        if (ours.join() !== theirs.join()) mismatches.push(`${f}: ours [${ours}], tshark [${theirs}]`);
      }
    });
    expect(mismatches).toEqual([]);
  }, 120_000);
});
