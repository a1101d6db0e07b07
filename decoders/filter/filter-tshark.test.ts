// Differential test: display filters against `tshark -Y` (Debian tshark 4.0). The real captures in
// captures/ are merged into one pcapng (up to PER_FILE frames of each, with link type and exact
// time: one tshark run per filter instead of one per file and filter), and the demo capture is used as is.
// For every filter in FILTERS, the frame numbers tshark matches and the frames we match (column tier, then
// the byte tier over the frames it leaves open) must be the same, apart from the differences in ALLOW,
// each with its reason.
//
// Compared are the frames on which both decoders see the same layers (tshark's frame.protocols against
// our tree, over the protocols we decode): a frame where tshark goes on into ERSPAN, PPP, GTP, … that we
// do not decode says nothing about filters. Those are counted, by the protocol where the two part.
//
// tshark's output is cached per input, filter, tshark binary and arguments (like dissect-tshark.test.ts),
// so only the first run pays for the ~90 tshark invocations (two at a time).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Engine } from '../analysis/engine.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { mergeSharedCaptures } from '../../scripts/lib/merged-captures.ts';
import { cachedTshark } from '../../scripts/lib/tshark-cache.ts';
import { detail } from '../dissect.ts';
import type { TreeNode } from '../summary.ts';
import { resolvePending } from './runner.ts';

const TSHARK = '/usr/bin/tshark';
const DEMO = fileURLToPath(new URL('../../public/samples/demo.pcapng', import.meta.url));
const PER_FILE = 300;
/** Protocols both decoders know: a frame is compared when both see the same sequence of them. */
const LAYERS = new Set(['eth', 'vlan', 'arp', 'ip', 'ipv6', 'gre', 'udp', 'tcp', 'icmp', 'icmpv6', 'igmp', 'vxlan', 'geneve', 'ah', 'mpls', 'sll']);

const TSHARK_ARGS = [
  '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
  // IP fragments are reassembled (tshark's default), in two passes so that every fragment knows the frame
  // that reassembled it, as ours do; sequence numbers relative, Wireshark's default (tcp.seq_raw is the wire's).
  '-2',
  '-d', 'udp.port==8472,vxlan', '-T', 'fields', '-e', 'frame.number',
];

/** [ours, tshark's form when it differs (NVGRE fields, our checksum verdict names)]. */
const FILTERS: [string, string?][] = [
  ['ip.addr == 10.0.0.0/8'],
  ['ip.src == 192.168.0.0/16 && ip.dst != 192.168.0.0/16'],
  ['ip.dst == 224.0.0.0/4'],
  ['!(ip.addr == 10.0.0.0/8) and ip'],
  ['ip.src#2 == 10.0.0.0/8'],
  ['count(ip.src) == 2'],
  ['ipv6.addr == fe80::/10'],
  ['ipv6.nxt == 58 || ipv6.hlim == 255'],
  ['tcp.port == 80 or tcp.port == 443'],
  ['tcp.port in {80, 443, 8080}'],
  ['tcp.port not in {80, 443}'],
  ['tcp.dstport >= 1024 && tcp.srcport < 1024'],
  ['tcp.flags & 0x02'],
  ['tcp.flags.syn == 1 && tcp.flags.ack == 0'],
  ['tcp.flags == 0x012'],
  ['tcp.len > 0 and tcp.seq_raw > 1000000'],
  ['tcp.len > 0 and tcp.seq > 1000'],
  ['tcp.ack == 1 && tcp.flags.syn == 0'],
  ['tcp.nxtseq > 100 && tcp.nxtseq < 5000'],
  ['udp.port == 53'],
  ['udp.port == 4789 || udp.port == 8472'],
  ['udp.length < 100 and udp.srcport > 1023'],
  ['ip.proto == 17'],
  ['ip.ttl < 64 && ip.len > 100'],
  ['ip.flags.mf == 1 || ip.frag_offset > 0'],
  ['ip.flags.df && ip.id == 0'],
  ['icmp.type == 8 or icmp.type == 0'],
  ['icmp && icmp.code != 0'],
  ['icmpv6.type in {133..137}'],
  ['gre'],
  ['gre.proto == 0x6558'],
  ['vxlan.vni > 0'],
  ['geneve'],
  ['vlan.id in {1..100}'],
  ['eth.dst == ff:ff:ff:ff:ff:ff'],
  ['eth.type == 0x0806 || arp'],
  ['eth.src[0:3] == 00:50:56'],
  ['frame.len > 1000 && !tcp'],
  ['frame.cap_len < frame.len'],
  ['frame.time_relative >= 1.5 && frame.number <= 3000'],
  ['frame contains "HTTP"'],
  ['ip.checksum.status == 0', 'ip.checksum.status == 0'],
  ['tcp.checksum.status == 1 && udp'],
  ['udp.checksum.status in {bad, partial}', 'udp.checksum.status == 0'],
  ['nvgre.vsid == 5001', 'gre.key >= 0x138900 && gre.key <= 0x1389ff && gre.proto == 0x6558'],
  ['tenant.vnid == 300 and vxlan', 'vxlan.vni == 300'],
];

/** Genuine differences, each with its reason. Key: `<filter>` or `<filter>@<capture>#<frame>`. */
const ALLOW: Record<string, string> = {
  'tcp.len > 0 and tcp.seq_raw > 1000000@tcpdump/rpki-rtr-oobr.pcap#1':
    'a fuzzed first fragment whose TCP header runs past the IP payload: tshark gives it no tcp.len, we give the bytes there',
  'tcp.len > 0 and tcp.seq > 1000@tcpdump/rpki-rtr-oobr.pcap#1':
    'a fuzzed first fragment whose TCP header runs past the IP payload: tshark gives it no tcp.len, we give the bytes there',
  // The sample's tenants reuse inner 5-tuples (NVGRE 5001 and 5002 both carry 10.0.0.1:443 <-> 10.0.0.2:50432):
  // tshark merges them into one tcp.stream and numbers them relative to the merged connection's first SYN; ours
  // are two streams, each relative to its own (streams-tshark.test.ts checks every value outside merged flows).
  'tcp.len > 0 and tcp.seq > 1000@demo.pcapng#*': 'relative numbers of tenants tshark merges',
  'tcp.ack == 1 && tcp.flags.syn == 0@demo.pcapng#*': 'relative numbers of tenants tshark merges',
  'tcp.nxtseq > 100 && tcp.nxtseq < 5000@demo.pcapng#*': 'relative numbers of tenants tshark merges',
  'gre@suricata-verify/decode-too-small__test.pcap#4': 'GRE cut short before its 4-byte header: tshark adds no gre item, we show the layer',
  'gre@suricata-verify/decode-too-small__test.pcap#8': 'GRE cut short before its 4-byte header: tshark adds no gre item, we show the layer',
  'frame.time_relative >= 1.5 && frame.number <= 3000@PcapPlusPlus/pcappp__pcapng-example.pcapng#2':
    'a time 2894531997.9 s after frame 1: tshark shows that frame.time_relative, yet its >= 1.5 test is false (an overflow in 4.0)',
  'udp.checksum.status in {bad, partial}@tcpdump/icmp-cksum-oobr-1.pcap#1':
    'tshark verifies the UDP header quoted in an ICMP error (bad); we never verify quoted headers, so they have no status',
};

function allowed(filter: string, where: string): string | undefined {
  return ALLOW[`${filter}@${where}`] ?? ALLOW[`${filter}@${where.replace(/#\d+$/, '#*')}`] ?? ALLOW[filter];
}

/** The first PER_FILE frames of every shared capture our reader reads, one pcapng; link types become interfaces. */
function mergedShared(origin: string[]): Promise<Uint8Array> {
  return mergeSharedCaptures({ keep: (cap) => /\.(pcap|pcapng|cap|ntar|gz)$/.test(cap.rel), perFile: PER_FILE, userAppl: 'tunnelscope filter-tshark test', origin });
}

function tsharkRun(file: string, bytes: Uint8Array, args: string[]): Promise<string> {
  return cachedTshark('filter', file, bytes, args);
}

async function tsharkMatches(file: string, bytes: Uint8Array, filter: string): Promise<Set<number>> {
  const out = await tsharkRun(file, bytes, ['-Y', filter, ...TSHARK_ARGS]);
  return new Set(out.split('\n').filter((l) => /^\d+$/.test(l)).map(Number));
}

/** tshark's layers per frame (frame.protocols restricted to LAYERS). */
async function tsharkLayers(file: string, bytes: Uint8Array): Promise<Map<number, string>> {
  const out = await tsharkRun(file, bytes, [...TSHARK_ARGS, '-e', 'frame.protocols']);
  const layers = new Map<number, string>();
  for (const line of out.split('\n')) {
    const [n, protos] = line.split('\t');
    if (/^\d+$/.test(n)) layers.set(Number(n), (protos ?? '').split(':').filter((p) => LAYERS.has(p)).join(':'));
  }
  return layers;
}

/** Our layers: the protocol nodes of the tree in order (quoted headers too, as in tshark). */
function ourLayers(tree: readonly TreeNode[]): string {
  const out: string[] = [];
  const walk = (ns: readonly TreeNode[]): void => {
    for (const n of ns) {
      if (n.field !== undefined && LAYERS.has(n.field)) out.push(n.field);
      if (n.children) walk(n.children);
    }
  };
  walk(tree);
  return out.join(':');
}

async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

describe('display filters vs tshark -Y', () => {
  it('has tshark', () => {
    expect(existsSync(TSHARK), `${TSHARK} (apt-get install tshark)`).toBe(true);
  });
  it('match the same frames', { timeout: 300_000 }, async () => {
    const origin: string[] = [];
    const merged = await mergedShared(origin);
    const mergedPath = join(tmpdir(), `tunnelscope-filter-merged-${createHash('sha1').update(merged).digest('hex').slice(0, 12)}.pcapng`);
    if (!existsSync(mergedPath)) writeFileSync(mergedPath, merged);
    const demo = new Uint8Array(readFileSync(DEMO));
    const inputs = [
      { name: 'shared', path: mergedPath, bytes: merged, where: (n: number) => origin[n - 1] },
      { name: 'demo', path: DEMO, bytes: demo, where: (n: number) => `demo.pcapng#${n}` },
    ];

    // Per input: the engine, and which frames both decoders see the same layers in.
    const engines = new Map<string, Engine>();
    const comparable = new Map<string, Uint8Array>();
    const parted = new Map<string, number>();
    let excluded = 0;
    for (const inp of inputs) {
      const e = new Engine();
      await e.load(new MemorySource(inp.bytes), inp.name);
      engines.set(inp.name, e);
      const theirs = await tsharkLayers(inp.path, inp.bytes);
      const same = new Uint8Array(e.frames + 1);
      const st = e.store;
      for (let i = 0; i < st.count; i++) {
        const b = inp.bytes.subarray(st.offset[i], st.offset[i] + st.caplen[i]);
        const ours = ourLayers(detail(b, 0, st.caplen[i], st.origlen[i], st.linktype[i]));
        const ts = theirs.get(i + 1) ?? '?';
        if (ours === ts) { same[i + 1] = 1; continue; }
        excluded++;
        const o = ours.split(':'), t = ts.split(':');
        let k = 0;
        while (k < o.length && o[k] === t[k]) k++;
        const why = `${o.slice(0, k).join(':')} then ours ${o[k] ?? 'end'}, tshark ${t[k] ?? 'end'}`;
        parted.set(why, (parted.get(why) ?? 0) + 1);
      }
      comparable.set(inp.name, same);
    }

    const jobs = inputs.flatMap((inp) => FILTERS.map(([ours, theirs]) => ({ inp, ours, theirs: theirs ?? ours })));
    const report: Record<string, string> = {};
    const mismatches: string[] = [];
    let compared = 0, matchedFrames = 0, allowedCount = 0;
    await pool(jobs, 2, async ({ inp, ours, theirs }) => {
      const ts = await tsharkMatches(inp.path, inp.bytes, theirs);
      const e = engines.get(inp.name) as Engine;
      const same = comparable.get(inp.name) as Uint8Array;
      const run = e.filters.get(ours);
      const columnDecided = e.frames - run.pending;
      await resolvePending(e, run, new MemorySource(inp.bytes));
      const diff: string[] = [];
      let mine = 0;
      for (let n = 1; n <= e.frames; n++) {
        if (!same[n]) continue;
        const m = run.state[n - 1] === 1;
        if (m) mine++;
        if (ts.has(n) === m) continue;
        if (allowed(ours, inp.where(n)) !== undefined) { allowedCount++; continue; }
        diff.push(`${inp.where(n)} (#${n}) tshark=${ts.has(n)} ours=${m}`);
      }
      compared++;
      matchedFrames += mine;
      report[`${inp.name}: ${ours}`] = `${mine} frames, column tier decided ${columnDecided}/${e.frames}`;
      if (diff.length > 0) mismatches.push(`${inp.name}: ${ours} -> ${diff.length} differ: ${diff.slice(0, 6).join(', ')}`);
    });
    console.log(JSON.stringify({
      inputs: inputs.map((i) => `${i.name}: ${engines.get(i.name)?.frames} frames`), filters: FILTERS.length, compared,
      excludedFrames: excluded, excludedBy: Object.fromEntries([...parted].sort((a, b) => b[1] - a[1]).slice(0, 15)),
      matchedFrames, allowed: allowedCount, mismatches: mismatches.length, report,
    }, null, 1));
    expect(mismatches).toEqual([]);
    // The filters do select something: a comparison of empty sets proves nothing.
    expect(matchedFrames).toBeGreaterThan(10_000);
  });
});
