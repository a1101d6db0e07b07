// One meaning of "zero" and "flagged" everywhere, on the demo sample and captures with every kind of
// finding: the offload report's headline (frames per verdict), its groups and the per-check verdict
// counts are exactly the frames their display filters select; checksum.zero is the zeros that are
// findings (not UDP-over-IPv4 "no checksum"); the flagged frames are the frames with a bad checksum.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../capture/memory-source.ts';
import { resolvePending } from '../filter/runner.ts';
import { verdictFilter, type FlagVerdict } from './check-filter.ts';
import { Engine } from './engine.ts';
import { listSharedCaptures } from '../../scripts/lib/shared-captures.ts';
import { offloadReport, summaryJson } from './report.ts';
import { subsetSummaryJson } from './subset.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** Path, and what it holds that matters here. */
const CAPTURES: [string, string][] = [
  ['public/samples/demo.pcapng', 'bad and partial in inner layers, UDP "no checksum" outside and inside'],
  ['captures/tcpdump/geneve.pcap', 'only "no checksum" zeros (39): no finding at all'],
  ['captures/zeek/krb__kerberos_tso.pcapng', 'partial and zero checksums taken before offload'],
  ['captures/nDPI/fuzz-2020-02-16-11740.pcap', 'bad, zero and "no checksum" together'],
  ['captures/dotpcap+packetnet/vxlan.pcap', 'a "no checksum" and a zero that is a finding in one frame'],
];

async function load(rel: string): Promise<{ e: Engine; bytes: Uint8Array }> {
  const bytes = new Uint8Array(readFileSync(resolve(ROOT, rel)));
  const e = new Engine();
  await e.load(new MemorySource(bytes), rel);
  return { e, bytes };
}

/** Frame numbers a filter selects (both tiers). */
async function select(e: Engine, bytes: Uint8Array, f: string): Promise<number[]> {
  const run = e.filters.get(f);
  await resolvePending(e, run, new MemorySource(bytes));
  const out: number[] = [];
  for (let i = 0; i < e.store.count; i++) if (run.state[i] === 1) out.push(i + 1);
  return out;
}

describe('zero and flagged mean the same everywhere', () => {
  for (const [rel, what] of CAPTURES) {
    it(`${rel}: ${what}`, async () => {
      const { e, bytes } = await load(rel);
      const report = e.offload();
      const checks = e.checks();
      const summary = summaryJson(e, rel);

      // Headline: frames per verdict are the frames checksum.bad / .partial / .zero select; flagged = bad.
      expect(await select(e, bytes, 'checksum.bad')).toEqual(summary.flagged);
      expect(report.frames.bad).toBe(summary.flagged.length);
      expect(report.frames.bad).toBe(e.status({ tenant: null, sort: null, filter: '' }).bad);
      expect((await select(e, bytes, 'checksum.partial')).length).toBe(report.frames.partial);
      expect((await select(e, bytes, 'checksum.zero')).length).toBe(report.frames.zero);
      // "No checksum" zeros are in no group, and the per-check table counts the same number of them.
      expect(Object.values(checks).reduce((a, c) => a + c.noChecksum, 0)).toBe(report.noChecksum);

      // Groups: each check and verdict's filter selects exactly the frames counted (over every sender).
      const byCheck = new Map<string, { frames: number; sample: number[] }>();
      for (const g of report.groups) {
        const k = verdictFilter(g.verdict, g.check);
        const v = byCheck.get(k) ?? { frames: 0, sample: [] };
        v.frames += g.frames;
        v.sample.push(...g.sample);
        byCheck.set(k, v);
      }
      for (const [f, { frames, sample }] of byCheck) {
        const got = await select(e, bytes, f);
        expect(got.length, f).toBe(frames);
        for (const n of sample) expect(got, f).toContain(n);
      }

      // The per-check table: bad, partial, zero (findings only) and unverified per check, by the same filters.
      for (const [check, c] of Object.entries(checks)) {
        const want: Record<FlagVerdict, number> = { bad: c.bad, partial: c.partial, zero: c.zero - c.noChecksum, unverified: c.unverified };
        for (const v of ['bad', 'partial', 'zero', 'unverified'] as const) {
          const f = verdictFilter(v, check);
          expect((await select(e, bytes, f)).length, f).toBe(want[v]);
          if (v !== 'unverified') expect(byCheck.get(f)?.frames ?? 0, `table vs groups: ${f}`).toBe(want[v]);
        }
      }

      if (rel.endsWith('geneve.pcap')) {
        expect(report.groups).toEqual([]);
        expect(report.noChecksum).toBe(39);
        expect(await select(e, bytes, 'checksum.zero')).toEqual([]);
        expect((await select(e, bytes, 'udp.checksum.status == zero')).length).toBe(39);
      } else {
        expect(report.groups.length).toBeGreaterThan(0);
      }
    });
  }

  it('"no checksum" is the same zeros counted as frames arrive and read back from the frame index: every shared capture', async () => {
    let allowed = 0;
    const differ: string[] = [];
    for (const cap of listSharedCaptures()) {
      if (cap.size > 2_000_000) continue;
      const e = new Engine();
      try {
        await e.load(new MemorySource(new Uint8Array(readFileSync(cap.path))), cap.rel);
      } catch {
        continue; // not a capture
      }
      // summaryJson counts them in Engine.add from the dissected layers; the subset summary from the store.
      const arriving = summaryJson(e, cap.rel).checks;
      const indexed = subsetSummaryJson(e, cap.rel, 'frame', new Uint8Array(e.store.count).fill(1)).checks;
      expect(indexed, cap.rel).toEqual(arriving);
      for (const c of Object.values(arriving)) allowed += c.noChecksum;
      // And the tally: "no checksum" verdicts plus the zero findings are all the zero verdicts.
      const r = offloadReport(e);
      const zeroFindings = r.groups.filter((g) => g.verdict === 'zero').reduce((a, g) => a + g.frames, 0);
      const zeros = Object.values(arriving).reduce((a, c) => a + c.zero, 0);
      if (r.noChecksum + zeroFindings !== zeros) differ.push(`${cap.rel}: ${r.noChecksum} + ${zeroFindings} != ${zeros}`);
    }
    expect(differ).toEqual([]);
    expect(allowed).toBeGreaterThan(100);
  });

  it('the CLI summary counts "no checksum" apart, per check, whatever the frames retained', async () => {
    const bytes = new Uint8Array(readFileSync(resolve(ROOT, 'captures/nDPI/fuzz-2020-02-16-11740.pcap')));
    const kept = new Engine();
    await kept.load(new MemorySource(bytes), 'x');
    const summaryOnly = new Engine({ retainFrames: false });
    await summaryOnly.load(new MemorySource(bytes), 'x');
    expect(summaryJson(summaryOnly, 'x').checks).toEqual(summaryJson(kept, 'x').checks);
    const allowed = Object.values(kept.checks()).reduce((a, c) => a + c.noChecksum, 0);
    const zeros = Object.values(kept.checks()).reduce((a, c) => a + c.zero, 0);
    expect(allowed).toBeGreaterThan(0);
    expect(zeros).toBeGreaterThan(allowed);
  });
});

describe('frame details', () => {
  it('mark a "no checksum" zero as such and leave zeros that are findings alone', async () => {
    const { e, bytes } = await load('captures/dotpcap+packetnet/vxlan.pcap');
    const loc = e.frameLocation(1);
    const zeros: Array<[string, string, boolean]> = [];
    const walk = (nodes: ReturnType<Engine['detail']>): void => {
      for (const n of nodes) {
        if (n.verdict === 'zero') zeros.push([n.check ?? '', n.label, n.noChecksum === true]);
        if (n.children) walk(n.children);
      }
    };
    walk(e.detail(1, bytes.subarray(loc.offset, loc.offset + loc.caplen)));
    expect(zeros).toEqual([
      ['ipv4', 'Header Checksum: 0x0000 [incorrect, should be 0x908e]', false],
      ['ipv4', 'Header checksum status: Zero', false],
      ['udp', 'Checksum: 0x0000', true],
      ['udp', 'Checksum Status: Not present (0: no checksum, allowed over IPv4)', true],
      ['inner.ipv4', 'Header Checksum: 0x0000 [incorrect, should be 0x66cc]', false],
      ['inner.ipv4', 'Header checksum status: Zero', false],
      ['inner.tcp', 'Checksum: 0x0000 [incorrect, should be 0xe7af]', false],
      ['inner.tcp', 'Checksum Status: Zero', false],
    ]);
    expect(e.rows(0, 1, { tenant: null, sort: null, filter: '' }).rows[0].checks).toBe('ipv4 zero, udp no checksum, inner.ipv4 zero, inner.tcp zero');
  });
});
