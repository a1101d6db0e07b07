// The default colouring rules and their legend say the same as the Checksums column: red rows are the
// frames with a bad checksum, amber rows exactly those with a partial checksum or a zero that is a
// finding (the column names it `zero`); a UDP checksum of 0 over IPv4 reads "no checksum" and is not
// coloured, and the legend says so.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../decoders/analysis/engine.ts';
import { MemorySource } from '../../decoders/capture/memory-source.ts';
import { resolvePending } from '../../decoders/filter/runner.ts';
import { DEFAULT_RULES, legendNotesNoChecksum, ruleTitle } from './rules.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CAPTURES = [
  'public/samples/demo.pcapng', 'captures/tcpdump/geneve.pcap', 'captures/zeek/krb__kerberos_tso.pcapng',
  'captures/nDPI/fuzz-2020-02-16-11740.pcap', 'captures/dotpcap+packetnet/vxlan.pcap',
];

describe('default colouring rules', () => {
  for (const rel of CAPTURES) {
    it(`colour exactly what the Checksums column calls bad, partial or zero: ${rel}`, async () => {
      const bytes = new Uint8Array(readFileSync(resolve(ROOT, rel)));
      const e = new Engine();
      await e.load(new MemorySource(bytes), rel);
      const states: Uint8Array[] = [];
      for (const r of DEFAULT_RULES) {
        const run = e.filters.get(r.filter);
        await resolvePending(e, run, new MemorySource(bytes));
        states.push(run.state);
      }
      const rows = e.rows(0, e.frames, { tenant: null, sort: null, filter: '' }).rows;
      const amber: number[] = [];
      let noChecksumRows = 0;
      for (const row of rows) {
        const i = row.n - 1;
        const rule = states.findIndex((s) => s[i] === 1);
        const verdicts = row.checks.split(', ').map((c) => c.slice(c.indexOf(' ') + 1));
        const want = verdicts.includes('bad') ? 0 : verdicts.includes('partial') || verdicts.includes('zero') ? 1 : -1;
        expect(rule, `frame ${row.n}: ${row.checks}`).toBe(want);
        expect(row.severity, `frame ${row.n}`).toBe(want === 0 ? 'bad' : want === 1 ? (verdicts.includes('partial') ? 'partial' : 'zero') : null);
        if (rule === 1) amber.push(row.n);
        if (verdicts.includes('no checksum')) noChecksumRows++;
      }
      // Amber = the frames with a partial verdict or a zero the Offload pane counts, that are not bad.
      const report = e.offload();
      const partialOrZero = rows.filter((r) => states[0][r.n - 1] !== 1
        && (e.store.partialMaskOf(r.n - 1) !== 0 || e.notableZeroMask(r.n - 1) !== 0)).map((r) => r.n);
      expect(amber).toEqual(partialOrZero);
      if (report.noChecksum > 0) expect(noChecksumRows).toBeGreaterThan(0);
    });
  }

  it('the legend explains that "no checksum" is not coloured', () => {
    const amber = DEFAULT_RULES.find((r) => r.filter.includes('checksum.zero'));
    expect(amber).toBeDefined();
    expect(ruleTitle(amber!)).toMatch(/UDP checksum of 0 over IPv4 means "no checksum".*not coloured/);
    expect(ruleTitle(DEFAULT_RULES[0])).toBe(DEFAULT_RULES[0].filter);
    expect(legendNotesNoChecksum(DEFAULT_RULES)).toBe(true);
    expect(legendNotesNoChecksum(DEFAULT_RULES.map((r) => ({ ...r, enabled: !r.filter.includes('checksum.zero') })))).toBe(false);
  });
});
