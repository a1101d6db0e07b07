// pktmon copies in TCP analysis: every copy of a packet (the same epb_packetid) is one segment, analysed once per
// flow, its later copies taking the first one's flags; a bad segment logged at several points counts once in
// the retransmitted figures. Serial (with and without rows) and in parallel; checked against the same packets
// captured at one point (no copies), where every packet is a frame of its own.
import { describe, expect, it } from 'vitest';
import { assemble, pktmonTcpScenario, TENANTS } from '../../scripts/lib/paths-captures.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { loadParallel } from '../parallel/load.ts';
import { localPool } from '../parallel/local-pool.ts';
import { Engine } from './engine.ts';
import { PacketCopies } from './packet-copies.ts';
import { retransmittedByHost, retransmittedByTenant } from './retransmitted.ts';
import { TA_RETRANSMISSION } from './tcp-analysis.ts';

const sc = pktmonTcpScenario();
const bytes = sc.captures[0].bytes;

async function serial(data: Uint8Array, retainFrames = true): Promise<Engine> {
  const e = new Engine({ retainFrames });
  await e.load(new MemorySource(data), 'x.pcapng');
  return e;
}

async function parallel(data: Uint8Array, retainFrames = true): Promise<Engine> {
  const e = new Engine({ retainFrames });
  const src = new MemorySource(data);
  let chunks = 0;
  await loadParallel(e, src, 'x.pcapng', { jobs: 3, plan: { minChunk: 1024, maxChunk: 2048 }, pool: () => localPool(src), onPlan: (i) => { chunks = i.chunks; } });
  expect(chunks).toBeGreaterThan(1);
  return e;
}

/** The scenario's packets as captured at point `pt` alone: one frame per packet, no packet ids. */
function atOnePoint(pt: number): Uint8Array {
  const point = { ...sc.points[pt], capture: 0, iface: 0 };
  const packets = sc.packets.map((p) => ({
    ...p, packetId: undefined, path: p.path.filter((s) => s.point === pt).map((s) => ({ ...s, point: 0 })),
  }));
  return assemble([{ name: 'one.pcapng', interfaces: [], skewNs: 0 }], [point], packets).captures[0].bytes;
}

const flagsOf = (e: Engine, n: number): number => e.store.tcpAnalysis[n - 1];

describe('pktmon copies in TCP analysis', () => {
  it('flags only the genuine retransmissions, on every copy of them, serial and in parallel', async () => {
    const copiesOf = (p: number): number[] => sc.frameOf[p].filter((n) => n > 0);
    const want = sc.retransmissions.flatMap(copiesOf).sort((a, b) => a - b);
    expect(want).toHaveLength(6);
    for (const e of [await serial(bytes), await parallel(bytes)]) {
      expect(e.frames).toBe(sc.packets.length * 3);
      const flagged = [];
      for (let n = 1; n <= e.frames; n++) if (flagsOf(e, n) !== 0) flagged.push(n);
      expect(flagged).toEqual(want);
      for (const n of want) expect(flagsOf(e, n)).toBe(TA_RETRANSMISSION);
      const shown = (filter: string, fold = false): number => e.status({ tenant: null, sort: null, filter, fold }).shown;
      expect(shown('tcp.analysis.retransmission')).toBe(6);
      // Folded, each resend once (at its NIC copy).
      expect(shown('tcp.analysis.retransmission', true)).toBe(2);
      expect(shown('tcp.analysis.flags && !tcp.analysis.retransmission')).toBe(0);
    }
  });

  it('gives each copy the flags the packet has where it was captured alone', async () => {
    // The vmNIC copies are one flow (no tunnel yet), the vSwitch and NIC copies the tenant's: the vmNIC alone and
    // the vSwitch alone are the first copies of each flow.
    const pktmon = await serial(bytes);
    const vmNic = await serial(atOnePoint(0));
    const vSwitch = await serial(atOnePoint(1));
    expect(vmNic.frames).toBe(sc.packets.length);
    let flagged = 0;
    sc.packets.forEach((_, p) => {
      expect(flagsOf(pktmon, sc.frameOf[p][0])).toBe(flagsOf(vmNic, p + 1));
      expect(flagsOf(pktmon, sc.frameOf[p][1])).toBe(flagsOf(vSwitch, p + 1));
      expect(flagsOf(pktmon, sc.frameOf[p][2])).toBe(flagsOf(vSwitch, p + 1));
      if (flagsOf(vSwitch, p + 1) !== 0) flagged++;
    });
    expect(flagged).toBe(sc.retransmissions.length);
  });

  it('counts a bad segment once however many copies of it are bad, serial (with or without rows) and in parallel', async () => {
    const [bothBad, nicBad] = sc.badSegments;
    const [retx1, retx2] = sc.retransmissions;
    const at = (p: number, pt: number): number => sc.frameOf[p][pt];
    for (const e of [await serial(bytes), await serial(bytes, false), await parallel(bytes), await parallel(bytes, false)]) {
      const b = e.badSegments;
      // Per flow, the first bad copy of each packet, carried again by the first copy of its resend.
      const got = Array.from({ length: b.count }, (_, k) => [b.frame[k], b.retxFrame[k]]).sort((x, y) => x[0] - y[0]);
      expect(got).toEqual([
        [at(bothBad, 0), at(retx1, 0)], [at(bothBad, 1), at(retx1, 1)], [at(nicBad, 2), at(retx2, 1)],
      ]);
      const blue = retransmittedByTenant(e).get(e.tenants.idOfKey(TENANTS.blue.key));
      expect([blue?.badSegments, blue?.retransmitted]).toEqual([2, 2]);
      const byHost = retransmittedByHost(e);
      expect([byHost.get('192.168.20.11')?.badSegments, byHost.get('10.1.0.1')?.badSegments]).toEqual([2, 1]);
    }
  });
});

describe('PacketCopies', () => {
  it('knows a (packet id, flow) again until it is one of the oldest past its capacity', () => {
    const c = new PacketCopies(8);
    const e0 = c.note(0, 1, 5);
    expect(c.fresh).toBe(true);
    expect(c.note(0, 1, 5)).toBe(e0);
    expect(c.fresh).toBe(false);
    c.note(0, 1, 6);
    expect(c.fresh).toBe(true);
    c.note(1, 1, 5);
    expect(c.fresh).toBe(true);
    for (let k = 2; k < 7; k++) c.note(0, k, 5);
    c.note(0, 1, 5);
    expect(c.fresh).toBe(false);
    c.note(0, 100, 5);
    c.note(0, 1, 5);
    expect(c.fresh).toBe(true);
  });

  it('answers as a list of the last entries would, through many evictions', () => {
    const c = new PacketCopies(64);
    const recent: string[] = [];
    let x = 12345;
    for (let k = 0; k < 20000; k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const id = x % 200, flow = (x >>> 16) % 3;
      const key = `${id}/${flow}`;
      const known = recent.includes(key);
      c.note(id >>> 3, id, flow);
      expect(c.fresh).toBe(!known);
      if (!known) {
        recent.push(key);
        if (recent.length > 64) recent.shift();
      }
    }
  });

  it('refuses a capacity that is not a power of two', () => {
    expect(() => new PacketCopies(1000)).toThrow(/power of two/);
  });
});
