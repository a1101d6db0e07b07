// Differential test: our checksum verdicts and tenant ids against tshark 4.0 over the real captures in
// captures/. Per frame and per layer occurrence: occurrence i of `<proto>.checksum.status` in tshark's
// output is paired with the i-th verified `<proto>.checksum.status` node of our tree (whose `check` names the
// Summary slot, which must agree with the tree).
//
// Rules: tshark Good -> ours good; tshark Bad/Illegal -> ours bad, partial or zero; tshark "not present"
// (UDP 0 over IPv4) -> ours zero; tshark Unverified -> not compared. Occurrences tshark has beyond the layers we
// decode are counted by reason, not compared: the ICMP-quoted headers tshark verifies (we deliberately do not)
// and payloads we stop at (PPP in PPTP, ERSPAN, GTP, NSH, ...). tshark's command line adds, to the one in the
// design brief, reassembly off (so it judges each fragment alone, as we do) and gre.checksum.status.

import { cachedTshark } from '../scripts/lib/tshark-cache.ts';
import { captureFilePaths as captureFiles } from '../scripts/lib/shared-captures.ts';

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemorySource } from './capture/memory-source.ts';
import { readCapture } from './capture/sniff.ts';
import { detail, dissect } from './dissect.ts';
import { FIELDS as FIELD_DEFS } from './fields.ts';
import {
  CHECK_NAMES, ENC_GENEVE, ENC_NVGRE, ENC_VXLAN, VERDICT_NAMES, newSummary, type TreeNode,
} from './summary.ts';

const CAPTURES = fileURLToPath(new URL('../captures/', import.meta.url));
const TSHARK = '/usr/bin/tshark';
const KINDS = ['ip', 'tcp', 'udp', 'icmp', 'icmpv6', 'gre'] as const;
type Kind = (typeof KINDS)[number];
const FIELDS = [
  'frame.number', 'frame.encap_type', ...KINDS.map((k) => `${k}.checksum.status`), 'gre.key', 'vxlan.vni', 'geneve.vni',
];
// tshark 4.0 proto_checksum_enum_e.
const TS_BAD = '0', TS_GOOD = '1', TS_NOT_PRESENT = '3', TS_ILLEGAL = '4';

/**
 * Genuine differences from tshark, each with its reason. Key: "<file>#<frame>:<kind>[<occurrence>]"; a
 * frame of '*' covers every frame of the file. Empty: every verdict tshark gives on a layer we decode agrees
 * (the differences once found were ours and are fixed: IPv4 source routes and the Mobile IPv6 home address in
 * the pseudo-header, over-long IP lengths in complete frames, pcapng custom blocks counted as frames).
 */
const ALLOW: Record<string, string> = {};

function allowed(file: string, frame: number, kind: string, occ: number): string | undefined {
  return ALLOW[`${file}#${frame}:${kind}[${occ}]`] ?? ALLOW[`${file}#*:${kind}[${occ}]`];
}

const TSHARK_ARGS = [
  '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
  // Reassembly would move a datagram's transport checksum to its last fragment; we judge each frame alone.
  '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE',
  '-d', 'udp.port==8472,vxlan', '-T', 'fields', '-E', 'occurrence=a', '-E', 'separator=/t',
  ...FIELDS.flatMap((f) => ['-e', f]),
];

function tsharkOutput(file: string, bytes: Uint8Array): Promise<string> {
  return cachedTshark('dissect', file, bytes, TSHARK_ARGS, 60_000);
}

async function runTshark(file: string, bytes: Uint8Array): Promise<Map<number, string[]>> {
  // tshark numbers pcapng custom blocks as frames too (no encapsulation): count packets only, as our reader does.
  const rows = new Map<number, string[]>();
  let n = 0;
  for (const line of (await tsharkOutput(file, bytes)).split('\n')) {
    const cols = line.split('\t');
    if (line !== '' && Number.isInteger(Number(cols[0])) && cols[1] !== '') rows.set(++n, cols);
  }
  return rows;
}

/** True when our decode finds at least one checksum or tunnel in the file (else there is nothing to compare). */
async function hasChecks(bytes: Uint8Array): Promise<boolean> {
  const s = newSummary();
  let any = false;
  try {
    await readCapture(new MemorySource(bytes), {
      onFrame: (r) => {
        dissect(r.buf, r.dataOffset, r.caplen, r.origlen, r.linktype, s);
        if (s.checkMask !== 0 || s.encap !== 0) any = true;
        return !any;
      },
    });
  } catch {
    // not a capture
  }
  return any;
}

async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}

function walkTree(nodes: TreeNode[], fn: (n: TreeNode, quoted: boolean) => void, quoted = false): void {
  for (const n of nodes) {
    const q = quoted || n.label.includes('(quoted)');
    fn(n, q);
    if (n.children) walkTree(n.children, fn, q);
  }
}

const severity = (v: string) => ['', 'unverified', 'zero', 'partial', 'bad'].indexOf(v);

interface Tally {
  frames: number;
  compared: number;
  agreed: number;
  allowed: Map<string, number>;
  tsharkOnly: Map<string, number>;
  examples: Map<string, string>;
  byKind: Map<string, number>;
  mismatches: string[];
  ids: number;
}

function tshark(cols: string[] | undefined, field: string): string[] {
  const v = cols?.[FIELDS.indexOf(field)];
  return v ? v.split(',') : [];
}

describe('dissect vs tshark 4.0 on real captures', () => {
  it('has tshark and the captures', () => {
    expect(existsSync(TSHARK), `${TSHARK} (apt-get install tshark)`).toBe(true);
    expect(existsSync(CAPTURES), CAPTURES).toBe(true);
  });
  it('agrees on every checksum tshark verifies, and on VSID/FlowID/VNI', { timeout: 240_000 }, async () => {
    const files = captureFiles();
    const t: Tally = {
      frames: 0, compared: 0, agreed: 0, allowed: new Map(), tsharkOnly: new Map(), examples: new Map(),
      byKind: new Map(), mismatches: [], ids: 0,
    };
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    const s = newSummary();
    let skipped = 0;
    await pool(files, 2, async (file) => {
      const rel = file.slice(CAPTURES.length);
      const bytes = new Uint8Array(readFileSync(file));
      if (!(await hasChecks(bytes))) {
        skipped++;
        return;
      }
      const rows = await runTshark(file, bytes);
      try {
        await readCapture(new MemorySource(bytes), {
          onFrame: (r) => {
            const cols = rows.get(r.n);
            if (cols === undefined) return;
            t.frames++;
            dissect(r.buf, r.dataOffset, r.caplen, r.origlen, r.linktype, s);
            const tree = detail(r.buf, r.dataOffset, r.caplen, r.origlen, r.linktype);
            const ours = new Map<Kind, TreeNode[]>(KINDS.map((k) => [k, []]));
            const values = new Map<string, string[]>();
            let quotedSeen = false;
            walkTree(tree, (n, quoted) => {
              if (quoted) quotedSeen = true;
              // The tree stays inside the captured bytes and names only registered fields, on real data too.
              if (n.start < 0 || n.start + n.length > r.caplen) t.mismatches.push(`${rel}#${r.n}: node "${n.label}" outside the frame`);
              if (n.field !== undefined && !FIELD_DEFS.has(n.field)) t.mismatches.push(`${rel}#${r.n}: unregistered ${n.field}`);
              if (n.field === undefined || n.value === undefined) return;
              const m = /^(\w+)\.checksum\.status$/.exec(n.field);
              if (m && n.check !== undefined && !quoted) ours.get(m[1] as Kind)?.push(n);
              if (!quoted && (n.field === 'gre.key' || n.field === 'vxlan.vni' || n.field === 'geneve.vni')) {
                values.set(n.field, [...(values.get(n.field) ?? []), n.value]);
              }
            });
            const where = `${rel}#${r.n}`;
            for (const kind of KINDS) {
              const ts = tshark(cols, `${kind}.checksum.status`);
              const mine = ours.get(kind) ?? [];
              // Tree and Summary come from the same walk: the slot holds this verdict (or a worse one folded in).
              for (const n of mine) {
                const slot = CHECK_NAMES.indexOf(n.check ?? '');
                const sv = VERDICT_NAMES[s.checks[slot]];
                if (severity(sv) < severity(n.verdict ?? '')) t.mismatches.push(`${where}: summary ${n.check}=${sv}, tree ${n.verdict}`);
              }
              for (let i = 0; i < ts.length; i++) {
                const st = ts[i];
                if (i >= mine.length) {
                  if (st === TS_GOOD || st === TS_BAD) {
                    const why = quotedSeen ? 'ICMP-quoted header' : `${kind} beyond our decode (${lastLayer(tree)})`;
                    bump(t.tsharkOnly, why);
                    if (!t.examples.has(why)) t.examples.set(why, where);
                  }
                  continue;
                }
                const v = mine[i].verdict ?? '';
                let ok = true;
                if (st === TS_GOOD) ok = v === 'good';
                else if (st === TS_BAD || st === TS_ILLEGAL) ok = v === 'bad' || v === 'partial' || v === 'zero';
                else if (st === TS_NOT_PRESENT) ok = v === 'zero';
                else continue; // tshark did not verify: nothing to compare
                t.compared++;
                bump(t.byKind, `${kind} ${st === TS_GOOD ? 'good' : st === TS_NOT_PRESENT ? 'not-present' : 'bad'}`);
                if (ok) {
                  t.agreed++;
                  continue;
                }
                const why = allowed(rel, r.n, kind, i);
                if (why !== undefined) bump(t.allowed, why);
                else t.mismatches.push(`${where}: ${kind}[${i}] tshark=${st} ours=${v} (${mine[i].check})`);
              }
            }
            // Tenant ids: every key/VNI both decoders see must match, and the Summary's outermost tunnel too.
            for (const f of ['gre.key', 'vxlan.vni', 'geneve.vni']) {
              const ts = tshark(cols, f);
              const mine = values.get(f) ?? [];
              for (let i = 0; i < Math.min(ts.length, mine.length); i++) {
                t.ids++;
                const a = Number(ts[i]), b = Number(mine[i].split(' ')[0]);
                if (a !== b) t.mismatches.push(`${where}: ${f}[${i}] tshark=${ts[i]} ours=${mine[i]}`);
              }
            }
            const key = Number(tshark(cols, 'gre.key')[0]);
            if (s.encap === ENC_NVGRE && (s.vnid !== key >>> 8 || s.flowId !== (key & 0xff))) {
              t.mismatches.push(`${where}: NVGRE vsid/flow ${s.vnid}/${s.flowId} vs gre.key ${key}`);
            }
            const vni = s.encap === ENC_VXLAN ? tshark(cols, 'vxlan.vni')[0] : s.encap === ENC_GENEVE ? tshark(cols, 'geneve.vni')[0] : undefined;
            if (vni !== undefined && s.vnid !== -1 && Number(vni) !== s.vnid) t.mismatches.push(`${where}: vnid ${s.vnid} vs ${vni}`);
          },
        });
      } catch {
        // Not a capture at all (or unreadable by our reader): tshark rows stay uncompared.
      }
    });
    const report = {
      files: files.length, skippedNoChecks: skipped, frames: t.frames, compared: t.compared, agreed: t.agreed, ids: t.ids,
      byKind: Object.fromEntries([...t.byKind].sort()),
      allowed: Object.fromEntries(t.allowed), tsharkOnly: Object.fromEntries(t.tsharkOnly),
      examples: Object.fromEntries(t.examples),
      mismatches: t.mismatches.length,
    };
    console.log(JSON.stringify(report, null, 1));
    expect(t.mismatches.slice(0, 40)).toEqual([]);
    expect(t.compared).toBeGreaterThan(5000);
  });
});

/** The last layer we decoded, with the GRE protocol type when that is where we stopped. */
function lastLayer(tree: TreeNode[]): string {
  const layers = tree.filter((n) => n.field !== undefined && n.field !== 'data');
  const last = layers[layers.length - 1];
  if (last === undefined) return 'none';
  const proto = last.children?.find((k) => k.field === 'gre.proto')?.value;
  return proto !== undefined ? `gre ${proto}` : (last.field ?? '');
}
