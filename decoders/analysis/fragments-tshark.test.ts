// Differential test of IP reassembly against tshark 4.0, which reassembles by default: run two-pass (-2) so
// that every fragment knows the frame that reassembled it, with checksum validation on. Inputs: the captures
// scripts/gen-fragment-captures.ts builds (every case labelled) and every real capture in captures/ in which
// tshark finds a fragment. Per frame:
// - reassembled in: our Engine.fragments.reassembledIn against ip.reassembled_in / ipv6.reassembled.in
//   (tshark gives none on the frame that completes a datagram; neither do we, there);
// - completes: the datagrams frame n completes, by their lengths, against ip/ipv6.reassembled.length;
// - checks: every checksum status tshark reports against our details tree (Engine.detailOf over the bytes of
//   Engine.detailFrames), occurrence i of a kind against our i-th verified node of that kind, with the rules
//   of dissect-tshark.test.ts (Good is good; Bad and Illegal are bad, partial or zero; Not present is zero);
//   a status only one side reports is a difference too, except where the frame is a fragment of a datagram
//   we did not complete (we show such a fragment's layers as far as they go, tshark shows data);
// - tenant: every gre.key / vxlan.vni / geneve.vni against our tree's, and the tenant the frame is counted
//   for (frameJson) against tshark's.
// Differences are genuine only with a reason in ALLOW; an entry no difference needs is an error too.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fragmentCaptures } from '../../scripts/gen-fragment-captures.ts';
import { listSharedCaptures } from '../../scripts/lib/shared-captures.ts';
import { concatBytes } from '../bytes.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { PcapngWriter } from '../capture/pcapng-writer.ts';
import { readCapture } from '../capture/sniff.ts';
import type { TreeNode } from '../summary.ts';
import { Engine } from './engine.ts';
import { frameJson } from './report.ts';

const TSHARK = '/usr/bin/tshark';
const CACHE = join(tmpdir(), 'tunnelscope-tshark-cache');
const KINDS = ['ip', 'tcp', 'udp', 'icmp', 'icmpv6', 'gre'] as const;
const TENANT_FIELDS = ['gre.key', 'vxlan.vni', 'geneve.vni'] as const;
const FIELDS = [
  'frame.number', 'frame.encap_type', 'ip.reassembled_in', 'ipv6.reassembled.in', 'ip.reassembled.length',
  'ipv6.reassembled.length', ...KINDS.map((k) => `${k}.checksum.status`), ...TENANT_FIELDS,
];
const TSHARK_ARGS = [
  '-2', '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
  '-d', 'udp.port==8472,vxlan', '-T', 'fields', '-E', 'occurrence=a', '-E', 'separator=/t',
  ...FIELDS.flatMap((f) => ['-e', f]),
];
const FRAGMENT_FILTER = 'ip.flags.mf==1 || ip.frag_offset>0 || ipv6.fraghdr';
// tshark 4.0 proto_checksum_enum_e.
const TS_BAD = '0', TS_GOOD = '1', TS_NOT_PRESENT = '3', TS_ILLEGAL = '4';

/**
 * Genuine differences, each with its reason. Key: `<generated capture>:<case>` (every frame of that case), or
 * `<capture path in captures/>#<frame>`, or `...#*` for every frame of a real capture.
 */
const DISCARDED = 'the fragments describe no one datagram, and IP stacks discard such a datagram (Linux for IPv4 and IPv6, ' +
  'RFC 8200 4.5 for overlapping IPv6 fragments); so do we, and the details say why. tshark reassembles what it can';
const ALLOW: Record<string, string> = {
  'edge.pcap:fragments 40 s apart':
    "IP stacks give a datagram up when it is not complete within 30 s (RFC 791's reassembly timer, Linux's ipfrag_time), and so do we (FragmentLimits.timeoutSec); tshark reassembles across any time",
  'edge.pcap:middle fragment with a bad IPv4 header checksum':
    'with ip.check_checksum on (as here) tshark leaves a fragment with a wrong header checksum out of reassembly (with its default, off, it reassembles it); ' +
    'we reassemble and flag the header: with IPv4 checksum offload a capture on the sender has headers not yet filled in, and the inner verdicts are what it is read for',
  'edge.pcap:two last fragments with different ends': `${DISCARDED} (with the first last fragment's length)`,
  'edge.pcap:a fragment past 65535 bytes among good ones': `${DISCARDED} (leaving out the fragment past 65535, the "ping of death")`,
  'edge.pcap:a fragment past the end, before the last fragment': `${DISCARDED} (cutting off the bytes past the end)`,
  'suricata-verify/ipv6-evasion__ipv6-malformed-fragments-29__frag-29.pcap#5': `${DISCARDED} (a last fragment of 1 byte at offset 8, after 808 bytes)`,
  'suricata-verify/ipv6-evasion__ipv6-malformed-fragments-29__frag-29.pcap#7': `${DISCARDED} (a last fragment of 1 byte at offset 8, after 808 bytes)`,
  'suricata-verify/ipv6-evasion__ipv6-malformed-fragments-29__frag-29.pcap#8': `${DISCARDED} (a last fragment of 1 byte at offset 8, after 808 bytes)`,
  'edge.pcap:two tenants with equal inner addresses and ids':
    "tshark keys IPv4 reassembly by addresses, id and protocol (and the VLAN, for private addresses), not by the tunnel: two tenants' fragments mix into one datagram with a bad TCP checksum; we key a tenant's fragments by the tenant too",
  'edge.pcap:ipv6 fragment headers with different next headers':
    "RFC 8200 4.5: only the offset-0 fragment's next header counts, so we decode the datagram (Geneve, TCP); tshark 4.0 takes the completing fragment's (59, no next header) and shows data",
  'suricata-verify/security-8550__input.pcap#2':
    "a GRE-in-IP fragment inside a datagram reassembled in this frame, with the outer one's id, addresses and protocol: tshark's second pass finds reassembled datagrams by frame and id, so it says the inner one was reassembled here too; it never completes",
  'suricata-verify/defrag__bug-6942-6887-defrag-eth-ip-gre-ppp-ip-udp-data__eth-ip-gre-ppp-max-ip-packet.pcap#*':
    'the fragments are inside PPP in GRE, which we do not decode (as dissect-tshark.test.ts lists): we see no fragments',
};

function tsharkRun(path: string, bytes: Uint8Array, args: string[]): Promise<string> {
  const st = statSync(TSHARK);
  const key = createHash('sha1').update(`${st.size}/${st.mtimeMs}\0${args.join('\0')}\0`).update(bytes).digest('hex');
  const cached = join(CACHE, `fragments-${key}.tsv`);
  if (existsSync(cached)) return Promise.resolve(readFileSync(cached, 'utf8'));
  return new Promise((resolve) => {
    // A damaged capture makes tshark exit non-zero after printing what it read: keep that part.
    execFile(TSHARK, ['-r', path, ...args], { maxBuffer: 256 << 20, timeout: 120_000 }, (_err, stdout) => {
      const out = String(stdout);
      mkdirSync(CACHE, { recursive: true });
      writeFileSync(cached, out);
      resolve(out);
    });
  });
}

/** A file tshark can read for bytes that exist only in memory (named by content, written once). */
function onDisk(bytes: Uint8Array, ext: string): string {
  const path = join(tmpdir(), `tunnelscope-fragments-${createHash('sha1').update(bytes).digest('hex').slice(0, 16)}.${ext}`);
  if (!existsSync(path)) writeFileSync(path, bytes);
  return path;
}

/** Per frame: tshark's columns (pcapng custom blocks, which tshark numbers as frames, are left out). */
async function tsharkFrames(path: string, bytes: Uint8Array): Promise<Map<number, string[]>> {
  const rows = new Map<number, string[]>();
  let n = 0;
  for (const line of (await tsharkRun(path, bytes, TSHARK_ARGS)).split('\n')) {
    const cols = line.split('\t');
    if (line !== '' && Number.isInteger(Number(cols[0])) && cols[1] !== '') rows.set(++n, cols);
  }
  return rows;
}

function col(cols: string[] | undefined, field: string): string[] {
  const v = cols?.[FIELDS.indexOf(field)];
  return v ? v.split(',') : [];
}

/**
 * The real captures tshark finds fragments in: every frame our reader reads from every capture, merged into
 * one pcapng (one tshark run instead of 500; reassembly off there, so files cannot mix), filtered by
 * FRAGMENT_FILTER and mapped back to their files.
 */
async function realFragmentCaptures(): Promise<string[]> {
  const chunks: Uint8Array[] = [];
  const w = new PcapngWriter((c) => { chunks.push(c.slice()); }, { userAppl: 'tunnelscope fragments-tshark test' });
  const ifaces = new Map<number, number>();
  const origin: string[] = [];
  for (const cap of listSharedCaptures()) {
    if (!/\.(pcap|pcapng|cap|ntar|gz)$/.test(cap.rel)) continue;
    try {
      await readCapture(new MemorySource(new Uint8Array(readFileSync(cap.path))), {
        onFrame: (r) => {
          if (r.caplen > 65535 || r.origlen < r.caplen || r.tsSec < 0) return;
          let id = ifaces.get(r.linktype);
          if (id === undefined) {
            id = w.addInterface({ linktype: r.linktype, snaplen: 0, tsResolDigits: 9 });
            ifaces.set(r.linktype, id);
          }
          w.writePacket(id, r.hasTime ? r.tsSec : 0, r.hasTime ? r.tsNsec : 0, r.buf, r.dataOffset, r.caplen, r.origlen);
          origin.push(cap.rel);
        },
      });
    } catch {
      // not a capture our reader reads: nothing to compare in it
    }
  }
  w.close();
  const merged = concatBytes(chunks);
  const args = ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', '-Y', FRAGMENT_FILTER, '-T', 'fields', '-e', 'frame.number'];
  const out = await tsharkRun(onDisk(merged, 'pcapng'), merged, args);
  const files = new Set<string>();
  for (const line of out.split('\n')) if (/^\d+$/.test(line)) files.add(origin[Number(line) - 1]);
  return [...files].sort();
}

interface Input {
  name: string;
  bytes: Uint8Array;
  path: string;
  /** Allow-list key of frame n. */
  where: (n: number) => string;
  generated: boolean;
}

interface Tally {
  frames: number;
  fragmentFrames: number;
  reassembledIn: number;
  completing: number;
  checks: number;
  tenants: number;
  allowed: Map<string, number>;
  used: Set<string>;
  mismatches: string[];
}

function walk(nodes: readonly TreeNode[], fn: (n: TreeNode, quoted: boolean) => void, quoted = false): void {
  for (const n of nodes) {
    const q = quoted || n.label.includes('(quoted)');
    fn(n, q);
    if (n.children) walk(n.children, fn, q);
  }
}

/** Compares every frame of one input; differences go to t.mismatches unless ALLOW explains them. */
async function compare(inp: Input, t: Tally): Promise<void> {
  const rows = await tsharkFrames(inp.path, inp.bytes);
  const e = new Engine();
  await e.load(new MemorySource(inp.bytes), inp.name);
  const st = e.store;
  const bytesOf = (m: number): Uint8Array => inp.bytes.subarray(st.offsetOf(m - 1), st.offsetOf(m - 1) + st.caplen[m - 1]);
  const differ = (n: number, what: string): void => {
    const key = [inp.where(n), `${inp.name}#*`].find((k) => ALLOW[k] !== undefined) ?? inp.where(n);
    const why = ALLOW[key];
    if (why !== undefined) {
      t.used.add(key);
      t.allowed.set(why, (t.allowed.get(why) ?? 0) + 1);
    } else t.mismatches.push(`${inp.name}#${n}${inp.generated ? ` (${key})` : ''}: ${what}`);
  };
  for (let n = 1; n <= e.frames; n++) {
    const cols = rows.get(n);
    if (cols === undefined) continue;
    t.frames++;
    const ids = e.fragments.byFrame.get(n);
    const tsIn = [...col(cols, 'ip.reassembled_in'), ...col(cols, 'ipv6.reassembled.in')].map(Number);
    if (ids !== undefined || tsIn.length > 0) t.fragmentFrames++;

    // Where the datagram of a fragment was reassembled (none for the frame that completes it).
    const mine = e.fragments.reassembledIn(n);
    const ours = mine === n ? null : mine;
    const theirs = tsIn.length > 0 ? tsIn[tsIn.length - 1] : null;
    if (ours !== null || theirs !== null) t.reassembledIn++;
    if (ours !== theirs) differ(n, `reassembled in: tshark ${theirs ?? 'none'}, ours ${ours ?? 'none'}`);

    // The datagrams it completes.
    const done = (ids ?? []).map((id) => e.fragments.records[id]).filter((r) => r.completedIn === n);
    const oursLen = done.map((r) => `ipv${r.family} ${r.total}`).sort();
    const tsLen = [...col(cols, 'ip.reassembled.length').map((x) => `ipv4 ${x}`), ...col(cols, 'ipv6.reassembled.length').map((x) => `ipv6 ${x}`)].sort();
    if (oursLen.length > 0 || tsLen.length > 0) t.completing++;
    if (oursLen.join() !== tsLen.join()) differ(n, `completes: tshark [${tsLen.join(', ')}], ours [${oursLen.join(', ')}]`);

    // Checksums and tenant ids in the details tree, the reassembled layers included.
    const others = new Map(e.detailFrames(n).map((m) => [m, bytesOf(m)] as const));
    const tree = e.detailOf(n, bytesOf(n), others).tree;
    const checks = new Map<string, TreeNode[]>(KINDS.map((k) => [k, []]));
    const ids2 = new Map<string, string[]>(TENANT_FIELDS.map((f) => [f, []]));
    let quoted = false;
    walk(tree, (node, q) => {
      if (q) quoted = true;
      if (node.field === undefined || node.value === undefined || q) return;
      const m = /^(\w+)\.checksum\.status$/.exec(node.field);
      if (m && node.check !== undefined) checks.get(m[1])?.push(node);
      ids2.get(node.field)?.push(node.value.split(' ')[0]);
    });
    const rec = e.fragments.fragmentOf(n)?.record;
    // A fragment of a datagram we never completed shows its own layers as far as they go; tshark shows data.
    const partial = rec !== undefined && rec.completedIn < 0;
    for (const kind of KINDS) {
      const ts = col(cols, `${kind}.checksum.status`);
      const my = checks.get(kind) ?? [];
      for (let i = 0; i < Math.max(ts.length, my.length); i++) {
        const s = ts[i];
        const v = my[i]?.verdict;
        if (s === undefined) {
          if (!partial && v !== 'unverified') differ(n, `${kind}[${i}]: only ours (${v})`);
          continue;
        }
        if (s !== TS_GOOD && s !== TS_BAD && s !== TS_ILLEGAL && s !== TS_NOT_PRESENT) continue; // tshark did not verify
        if (v === undefined) {
          if (!quoted) differ(n, `${kind}[${i}]: only tshark (${s})`);
          continue;
        }
        t.checks++;
        const ok = s === TS_GOOD ? v === 'good' : s === TS_NOT_PRESENT ? v === 'zero' : v === 'bad' || v === 'partial' || v === 'zero';
        if (!ok) differ(n, `${kind}[${i}]: tshark ${s}, ours ${v} (${my[i].check})`);
      }
    }
    const j = frameJson(e, n - 1);
    for (const f of TENANT_FIELDS) {
      const ts = col(cols, f).map(Number);
      const my = (ids2.get(f) ?? []).map(Number);
      for (let i = 0; i < Math.min(ts.length, my.length); i++) {
        t.tenants++;
        if (ts[i] !== my[i]) differ(n, `${f}[${i}]: tshark ${ts[i]}, ours ${my[i]}`);
      }
      // The tenant the frame counts for is the one tshark shows for its outermost tunnel.
      const enc = f === 'gre.key' ? 'nvgre' : f === 'vxlan.vni' ? 'vxlan' : 'geneve';
      if (j.encap === enc && ts.length > 0 && !ts.some((x) => (f === 'gre.key' ? x >>> 8 : x) === j.vnid)) {
        differ(n, `tenant: tshark ${f} ${ts.join(',')}, ours ${j.encap} ${j.vnid}`);
      }
    }
  }
}

describe('IP reassembly vs tshark 4.0 (two-pass, reassembly on)', () => {
  it('has tshark', () => {
    expect(existsSync(TSHARK), `${TSHARK} (apt-get install tshark)`).toBe(true);
  });

  it('agrees on where every fragment was reassembled, the completing frames, their checksums and tenants', { timeout: 300_000 }, async () => {
    const inputs: Input[] = [];
    for (const c of fragmentCaptures()) {
      inputs.push({ name: c.name, bytes: c.bytes, path: onDisk(c.bytes, 'pcap'), where: (n) => `${c.name}:${c.cases[n - 1]}`, generated: true });
    }
    const real = await realFragmentCaptures();
    const byRel = new Map(listSharedCaptures().map((c) => [c.rel, c.path] as const));
    for (const rel of real) {
      const path = byRel.get(rel) as string;
      inputs.push({ name: rel, bytes: new Uint8Array(readFileSync(path)), path, where: (n) => `${rel}#${n}`, generated: false });
    }
    const t: Tally = { frames: 0, fragmentFrames: 0, reassembledIn: 0, completing: 0, checks: 0, tenants: 0, allowed: new Map(), used: new Set(), mismatches: [] };
    for (const inp of inputs) await compare(inp, t);
    const stale = Object.keys(ALLOW).filter((k) => !t.used.has(k));
    console.log(JSON.stringify({
      inputs: inputs.length, real, frames: t.frames, fragmentFrames: t.fragmentFrames, reassembledInCompared: t.reassembledIn,
      completingCompared: t.completing, checksCompared: t.checks, tenantIdsCompared: t.tenants,
      allowed: Object.fromEntries(t.allowed), mismatches: t.mismatches.length,
    }, null, 1));
    expect(t.mismatches.slice(0, 60)).toEqual([]);
    expect(stale, 'ALLOW entries no difference needs').toEqual([]);
    // The comparison has substance: real captures with fragments were found, and datagrams completed.
    expect(real.length).toBeGreaterThan(5);
    expect(t.completing).toBeGreaterThan(100);
    expect(t.checks).toBeGreaterThan(1000);
  });
});
