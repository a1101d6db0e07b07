// RowView.fold: a pktmon capture (one interface per component, the same epb_packetid on every copy) listed
// with each packet once, at its last point; sorted and filtered views fold the same way, and the Shown count
// and exports follow. A capture without packet ids is unchanged.
import { describe, expect, it } from 'vitest';
import { pairScenario, pktmonScenario } from '../../scripts/lib/paths-captures.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { frameJson } from './report.ts';
import type { RowView } from './rows.ts';

async function load(bytes: Uint8Array): Promise<Engine> {
  const e = new Engine();
  await e.load(new MemorySource(bytes), 'x.pcapng');
  return e;
}

const FOLD: RowView = { tenant: null, sort: null, filter: '', fold: true };

describe('folded views', () => {
  const sc = pktmonScenario();

  it('lists each packet once, at its last copy', async () => {
    const e = await load(sc.captures[0].bytes);
    const shown = e.status(FOLD).shown;
    expect(shown).toBe(sc.packets.length);
    expect(e.status({ ...FOLD, fold: false }).shown).toBe(e.frames);
    const rows = e.rows(0, e.frames, FOLD).rows.map((r) => r.n);
    expect(rows).toHaveLength(shown);
    const f = e.folding();
    // Every packet's last copy, and nothing else: each listed frame is the shown copy of its packet.
    expect(rows.every((n) => f.shownOf(n) === n)).toBe(true);
    expect(new Set(rows.map((n) => f.copiesOf(n).join())).size).toBe(shown);
    expect(Array.from(e.viewFrames(FOLD))).toEqual(rows);
    expect(e.indexOf(rows[3], FOLD)).toBe(3);
    const hidden = f.copiesOf(rows[0])[0];
    expect(hidden).not.toBe(rows[0]);
    expect(e.indexOf(hidden, FOLD)).toBe(-1);
  });

  it('folds sorted and filtered views too, and their previous-shown deltas skip the copies', async () => {
    const e = await load(sc.captures[0].bytes);
    const byLength = e.rows(0, e.frames, { ...FOLD, sort: { column: 'length', desc: true } }).rows;
    expect(byLength).toHaveLength(sc.packets.length);
    const plain = new Set(e.rows(0, e.frames, FOLD).rows.map((r) => r.n));
    expect(byLength.every((r) => plain.has(r.n))).toBe(true);
    const bad = e.status({ ...FOLD, filter: 'checksum.bad' }).shown;
    expect(bad).toBe(e.folding().counts().bad);
    expect(bad).toBeLessThan(e.status({ tenant: null, sort: null, filter: 'checksum.bad' }).shown);
    const inOrder = e.rows(0, e.frames, FOLD).rows;
    const sorted = new Map(byLength.map((r) => [r.n, r.deltaShown]));
    for (const r of inOrder) expect(sorted.get(r.n)).toBeCloseTo(r.deltaShown ?? NaN, 9);
  });

  it('tenant totals count each packet once when folded (its shown copy\'s bytes), per frame otherwise', async () => {
    const e = await load(sc.captures[0].bytes);
    const f = e.folding();
    const perFrame = e.tenantStats();
    const folded = e.tenantStats(true);
    expect(folded.map((t) => t.key)).toEqual(perFrame.map((t) => t.key));
    for (const t of folded) {
      const id = e.tenants.idOfKey(t.key);
      const packets = sc.packets.filter((p) => p.tenant.key === t.key);
      expect(t.frames).toBe(packets.length);
      // The shown (last) copy of each packet of the tenant.
      const shown = packets.map((p) => f.shownOf(sc.frameOf[sc.packets.indexOf(p)].find((n) => n > 0) as number));
      expect(t.bytes).toBe(shown.reduce((sum, n) => sum + e.store.caplen[n - 1], 0));
      const frames = perFrame.find((x) => x.key === t.key);
      expect(frames?.frames).toBe(e.tenants.frames[id]);
      expect(t.frames).toBeLessThan(frames?.frames ?? 0);
      expect([t.flows, t.firstTime, t.retransmitted]).toEqual([frames?.flows, frames?.firstTime, frames?.retransmitted]);
    }
  });

  it('host totals count each packet once when folded, for the host of its shown copy', async () => {
    const e = await load(sc.captures[0].bytes);
    const f = e.folding();
    const folded = e.hostStats(true);
    const perFrame = e.hostStats();
    expect(folded.reduce((sum, h) => sum + h.frames, 0)).toBeLessThan(perFrame.reduce((sum, h) => sum + h.frames, 0));
    // Independently: the shown copies of the packets, by their sending address (outer source, else IP source).
    const want = new Map<string, number>();
    for (let k = 0; k < sc.packets.length; k++) {
      const n = f.shownOf(sc.frameOf[k].find((x) => x > 0) as number);
      const facts = frameJson(e, n - 1);
      const host = facts.outer?.src ?? facts.inner?.src;
      if (host !== undefined) want.set(host, (want.get(host) ?? 0) + 1);
    }
    expect(new Map(folded.map((h) => [h.address, h.frames]))).toEqual(want);
    expect(folded.reduce((sum, h) => sum + h.bad, 0)).toBe(f.counts().bad);
  });

  it('changes nothing for a capture without packet ids', async () => {
    const e = await load(pairScenario().captures[0].bytes);
    expect(e.status(FOLD).shown).toBe(e.frames);
    expect(e.tenantStats(true)).toEqual(e.tenantStats());
    expect(e.hostStats(true)).toEqual(e.hostStats());
  });
});
