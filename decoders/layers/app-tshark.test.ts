// Differential test: the application layers (DNS, mDNS, LLMNR, NBNS, DHCP, DHCPv6, HTTP, TLS) against tshark 4.0
// on every real capture in captures/ that carries one (SOURCES.tsv `protos:`), merged into one pcapng (the
// first PER_FILE frames of each, link types as interfaces, exact times) so that tshark runs once per filter.
// tshark runs without TCP reassembly: we decode one segment at a time.
//
// 1. Protocol and Info columns of every frame whose highest layer (ours) is an application layer; the Protocol
//    column of every frame whose highest layer is a service named by its port (services.ts: SSH, SMTP, ...).
// 2. The frames display filters on their fields match.
//
// Compared are the frames on which both decoders see the same layers (tshark's frame.protocols against our
// tree, over the protocols both decode); the others are counted by where the two part and reported
// (APP_PARTED=1 lists them), all of them per-connection state or protocols we do not decode:
//   tcp then ours end, tshark tls/http   tshark saw the message start earlier in the connection and calls the
//                                        segment a continuation; we leave it to TCP (as Wireshark does with its
//                                        default reassembly: "TCP segment of a reassembled PDU")
//   tcp then ours http/tls/dns, tshark end   tshark's TCP analysis takes the segment for a retransmission as
//                                        we do not: the same inner connection in two tenants (tshark keys
//                                        connections without the tunnel), or analysis state we do not keep
//   udp then ours mdns, tshark dns       UDP 53 -> 5353: tshark tries the lower port first, our UDP dispatch the
//                                        destination port (the tunnels' rule)
//   udp then ours end, tshark dns/tls/dhcp   tshark's heuristics and conversations (DNS on other ports, QUIC),
//                                        the DNS quoted in an ICMP error, a UDP length past the IP payload
//   tls then ours end, tshark tls        tshark lists tls again after the X.509 certificates it decodes
// Differences that remain are Wireshark's behaviour we do not follow, each rule with its reason in NORMALISE
// and ALLOW below; a rule that no frame needs fails the test, so the list stays true.

import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TSHARK, TSHARK_APP_ARGS } from '../../scripts/lib/tshark-rows.ts';
import { fillLayerRows } from '../analysis/layer-rows.ts';
import { Engine } from '../analysis/engine.ts';
import { mergeSharedCaptures } from '../../scripts/lib/merged-captures.ts';
import { cachedTshark } from '../../scripts/lib/tshark-cache.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { detail } from '../dissect.ts';
import { resolvePending } from '../filter/runner.ts';
import type { TreeNode } from '../summary.ts';
import { layerDefs } from './registry.ts';

const PER_FILE = 1000;
const APPS = new Set(['dns', 'mdns', 'llmnr', 'nbns', 'dhcp', 'dhcpv6', 'http', 'tls']);
/** Services named by their port (services.ts): their Protocol column is compared, their Info is TCP's or UDP's. */
const SERVICES = new Set(layerDefs().filter((d) => d.decode?.toString().includes('decodeService')).map((d) => d.name));
/** Protocols both decoders know: a frame is compared when both see the same sequence of them. */
const LAYERS = new Set(['eth', 'vlan', 'arp', 'ip', 'ipv6', 'gre', 'udp', 'tcp', 'icmp', 'icmpv6', 'igmp', 'vxlan', 'geneve', 'ah', 'mpls', 'sll', ...APPS, ...SERVICES]);

const FILTERS = [
  'dns', 'mdns', 'llmnr', 'nbns', 'dhcp', 'dhcpv6', 'http', 'tls', 'arp',
  'dns.flags.response == 1', 'dns.flags.rcode != 0', 'dns.qry.type == 1', 'dns.qry.name contains "example"', 'dns.a',
  'dns.aaaa', 'dns.cname', 'dns.count.answers > 1', 'dns.resp.ttl > 3600', 'dns.qry.name.len > 20',
  'nbns.name contains "DOMAIN"', 'dhcp.option.dhcp == 1', 'dhcp.option.dhcp', 'dhcp.hw.mac_addr', 'dhcp.option.hostname',
  'dhcpv6.msgtype == 12', 'http.request', 'http.response', 'http.request.method == "GET"', 'http.request.method == "POST"',
  'http.response.code == 200', 'http.response.code >= 400', 'http.host', 'http.user_agent contains "Mozilla"',
  'http.content_type contains "text"', 'http.content_length > 1000', 'tls.record.content_type == 22',
  'tls.record.content_type == 23', 'tls.handshake.type == 1', 'tls.handshake.type == 2', 'tls.handshake.extensions_server_name',
  'tls.record.version == 0x0301', 'tls.handshake.version == 0x0303', 'tls.handshake.extensions.supported_version == 0x0304',
  'tls.handshake.extensions_alpn_str == "h2"', 'arp.opcode == 2', 'udp.port == 53 && !dns', 'tcp && http.request',
];

/** Normalisations of tshark's column text, each for a behaviour of Wireshark we do not follow. */
const NORMALISE: Array<[RegExp, string, string]> = [
  [/^(\[TCP [^\]]*\] ?)+(, )?/, '', 'TCP sequence analysis notes ([TCP Retransmission], [TCP ACKed unseen segment], …) need per-connection state; this layer keeps none'],
  [/\[Malformed Packet\]$/, ' [malformed]', 'the same finding, in our words'],
  [/\[Packet size limited during capture\]$/, ' [truncated]', 'the same finding, in our words'],
  [/\[BoundErrorUnreassembled Packet\]$/, '', 'with TCP reassembly off tshark stops at a chunked body the segment cuts and says so; we read the segment as it is'],
  [/^(IN |OUT) +\S+ : /, '', 'an F5 Ethernet trailer tshark decodes and names first in Info; we do not decode it'],
];

/** Frames whose columns may differ, by rule, each with its reason. */
const ALLOW: Record<string, string> = {
  'tls-version': 'tshark carries over the version an earlier frame of the connection settled (a TLS 1.3 record says 1.2 in its header, and its type is then tls.record.opaque_type; a record the segment cuts leaves the column unset, SSL); we read one segment',
  'tls-split-handshake': 'a handshake record the segment cuts: tshark (reassembly off) names nothing from it; we name the messages it starts with (a large ClientHello spans segments, and its SNI is in the first)',
  'ssh-version': 'tshark writes SSHv2 once it has read the version banner earlier in the connection; we name the port (SSH)',
  'smtp-imf': 'tshark knows from the DATA command earlier in the connection that the segment is the message itself (SMTP/IMF)',
  'fuzzed': 'a fuzzed capture: where either decoder finds a message malformed, the two stop at different places (and show different fields)',
};
const FUZZED = new Set(['nDPI/fuzz-2006-06-26-2594.pcap', 'nDPI/fuzz-2006-09-29-28586.pcap', 'nDPI/dhcp-fuzz.pcapng']);

function merged(origin: string[]): Promise<Uint8Array> {
  return mergeSharedCaptures({
    keep: (cap) => /protos: [^|]*\b(dns|mdns|llmnr|nbns|dhcp|dhcpv6|http|tls|ssh|ntp|smtp|ftp|telnet|mysql|pgsql|syslog|x11|irc|tds)\b/.test(cap.contents),
    perFile: PER_FILE, userAppl: 'tunnelscope app-tshark test', origin,
  });
}

/** tshark's output for these arguments, cached per input, arguments and tshark binary. */
function tshark(path: string, bytes: Uint8Array, args: string[]): Promise<string> {
  return cachedTshark('app', path, bytes, [...TSHARK_APP_ARGS, ...args]);
}

function ourLayers(tree: readonly TreeNode[]): string[] {
  const out: string[] = [];
  const walk = (ns: readonly TreeNode[]): void => {
    for (const n of ns) {
      if (n.field !== undefined && LAYERS.has(n.field)) out.push(n.field);
      if (n.children) walk(n.children);
    }
  };
  walk(tree);
  return out;
}

/** Whether the last TLS record starting in [p, end) runs past end (the segment cuts it) and has content type `ct`. */
function lastRecordCut(b: Uint8Array, p: number, end: number, ct: number): boolean {
  let q = p;
  while (q + 5 <= end) {
    const next = q + 5 + ((b[q + 3] << 8) | b[q + 4]);
    if (next > end) return b[q] === ct;
    q = next;
  }
  return false;
}

async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

describe('application layers vs tshark on the real captures', () => {
  it('Protocol, Info and display filters agree', { timeout: 600_000 }, async () => {
    expect(existsSync(TSHARK), `${TSHARK} (apt-get install tshark)`).toBe(true);
    const origin: string[] = [];
    const bytes = await merged(origin);
    const path = join(tmpdir(), `tunnelscope-app-merged-${createHash('sha1').update(bytes).digest('hex').slice(0, 12)}.pcapng`);
    if (!existsSync(path)) writeFileSync(path, bytes);

    const e = new Engine();
    const src = new MemorySource(bytes);
    await e.load(src, 'merged.pcapng');
    const rows = e.rows(0, e.frames, { tenant: null, sort: null, filter: '' }).rows;
    await fillLayerRows(e, rows, src);
    const out = await tshark(path, bytes, ['-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', '-e', 'frame.protocols', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info']);
    const theirs = new Map<number, string[]>();
    for (const line of out.split('\n')) {
      const [n, ...cols] = line.split('\t');
      if (/^\d+$/.test(n)) theirs.set(Number(n), cols);
    }

    const same = new Uint8Array(e.frames + 1);
    /** Frames whose last TLS record is a handshake record the segment cuts. */
    const splitHandshake = new Set<number>();
    const parted = new Map<string, number>();
    const used = new Map<string, number>();
    const mismatches: string[] = [];
    let compared = 0, servicesCompared = 0;
    const st = e.store;
    for (let i = 0; i < e.frames; i++) {
      const n = i + 1, where = origin[i];
      const fb = bytes.subarray(st.offset[i], st.offset[i] + st.caplen[i]);
      const tree = detail(fb, 0, st.caplen[i], st.origlen[i], st.linktype[i]);
      const o = ourLayers(tree);
      const [protos = '', tp = '', ti = ''] = theirs.get(n) ?? [];
      const t = protos.split(':').filter((p) => LAYERS.has(p));
      if (o.join(':') !== t.join(':')) {
        let k = 0;
        while (k < o.length && o[k] === t[k]) k++;
        if (APPS.has(o[k]) || APPS.has(t[k])) {
          const why = `${o[k - 1] ?? ''} then ours ${o[k] ?? 'end'}, tshark ${t[k] ?? 'end'}`;
          parted.set(why, (parted.get(why) ?? 0) + 1);
          if (process.env.APP_PARTED) console.log(`${why}: ${where} ${protos} ${tp} ${ti}`);
        }
        continue;
      }
      same[n] = 1;
      const top = o[o.length - 1];
      if (SERVICES.has(top)) {
        servicesCompared++;
        if (rows[i].protocol === tp) continue;
        // SSH: once tshark has read the version banner of the connection it writes the version.
        const rule = top === 'ssh' && /^SSHv[12]$/.test(tp) ? 'ssh-version' : top === 'smtp' && tp === 'SMTP/IMF' ? 'smtp-imf' : undefined;
        if (rule !== undefined) used.set(rule, (used.get(rule) ?? 0) + 1);
        else mismatches.push(`${where} (#${n}): ours "${rows[i].protocol}", tshark "${tp}"`);
        continue;
      }
      if (!APPS.has(top)) continue;
      compared++;
      const row = rows[i];
      let want = `${tp} | ${ti}`;
      for (const [re, by] of NORMALISE) want = `${tp} | ${want.slice(tp.length + 3).replace(re, by)}`;
      const ours = `${row.protocol} | ${row.info.replace(/ \(SNI=[^)]*\)/, '')}`;
      if (ours === want) continue;
      const [wp, wi] = [tp, want.slice(tp.length + 3)];
      const tlsFamily = /^(SSL|SSLv[23]|TLSv1(\.[0-3])?)$/;
      const node = tree.filter((x) => x.field === 'tls').pop();
      if (node !== undefined && lastRecordCut(fb, node.start, node.start + node.length, 22)) splitHandshake.add(n);
      let rule: string | undefined;
      if (tlsFamily.test(row.protocol) && tlsFamily.test(wp) && row.protocol !== wp && ours.slice(row.protocol.length) === want.slice(wp.length) && !row.info.includes('Server Hello')) rule = 'tls-version';
      else if (splitHandshake.has(n) && (row.info.startsWith(`${wi}, `) || wi === '') && tlsFamily.test(wp)) rule = 'tls-split-handshake';
      else if (FUZZED.has(where.replace(/#\d+$/, '')) && (/\[malformed\]/.test(ours) || /\[malformed\]/.test(want))) rule = 'fuzzed';
      if (rule !== undefined) {
        used.set(rule, (used.get(rule) ?? 0) + 1);
        continue;
      }
      mismatches.push(`${where} (#${n}): ours "${ours}", tshark "${want}"`);
    }

    // Filters, over the frames both decode alike.
    const filterDiffs: string[] = [];
    const counts: Record<string, number> = {};
    await pool(FILTERS, 2, async (f) => {
      const ts = new Set((await tshark(path, bytes, ['-Y', f, '-T', 'fields', '-e', 'frame.number'])).split('\n').filter((l) => /^\d+$/.test(l)).map(Number));
      const run = e.filters.get(f);
      await resolvePending(e, run, src);
      const diff: string[] = [];
      let mine = 0;
      for (let n = 1; n <= e.frames; n++) {
        if (!same[n]) continue;
        const m = run.state[n - 1] === 1;
        if (m) mine++;
        if (ts.has(n) === m) continue;
        const rule = FUZZED.has(origin[n - 1].replace(/#\d+$/, '')) ? 'fuzzed'
          : splitHandshake.has(n) && f.startsWith('tls') ? 'tls-split-handshake'
            : f.startsWith('tls.record.content_type') && theirs.get(n)?.[1] === 'TLSv1.3' && rows[n - 1].protocol !== 'TLSv1.3' ? 'tls-version'
              : undefined;
        if (rule !== undefined) used.set(rule, (used.get(rule) ?? 0) + 1);
        else diff.push(`${origin[n - 1]} (#${n}) tshark=${ts.has(n)} ours=${m}`);
      }
      counts[f] = mine;
      if (diff.length > 0) filterDiffs.push(`${f}: ${diff.length} differ: ${diff.slice(0, 5).join(', ')}`);
    });

    console.log(JSON.stringify({
      frames: e.frames, comparedColumns: compared, comparedServices: servicesCompared, partedBy: Object.fromEntries([...parted].sort((a, b) => b[1] - a[1])),
      allowed: Object.fromEntries(used), filterMatches: counts,
    }, null, 1));
    expect(mismatches).toEqual([]);
    expect(filterDiffs).toEqual([]);
    // Every rule is needed (else it goes), and the comparison covers every protocol.
    expect([...used.keys()].sort()).toEqual(Object.keys(ALLOW).sort());
    expect(compared).toBeGreaterThan(800);
    for (const p of APPS) expect(counts[p], p).toBeGreaterThan(0);
    expect(servicesCompared).toBeGreaterThan(50);
  });
});
