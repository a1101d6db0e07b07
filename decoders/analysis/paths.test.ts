// "Where did it break?" on generated captures of the same packets at several points (scripts/lib/paths-captures.ts):
// the findings, the matched and unmatched counts, the clock offsets, the examples and each packet's path equal
// what was built; retransmissions with equal keys pair in time order; pktmon copies fold by packet id.
import { describe, expect, it } from 'vitest';
import { assemble, pairScenario, pktmonScenario, tripleScenario, type Scenario } from '../../scripts/lib/paths-captures.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { analyzePaths, type PathAnalysis, type PathFinding, type PathInput } from './paths.ts';

async function inputs(sc: Scenario): Promise<PathInput[]> {
  const out: PathInput[] = [];
  for (const c of sc.captures) {
    const e = new Engine();
    const src = new MemorySource(c.bytes);
    await e.load(src, c.name);
    out.push({ name: c.name, index: e, bytes: src });
  }
  return out;
}

const open = async (sc: Scenario, window?: number): Promise<PathAnalysis> => analyzePaths(await inputs(sc), { window });

const counted = (f: Pick<PathFinding, 'cause' | 'from' | 'to' | 'tenant' | 'check' | 'count'>): string =>
  JSON.stringify([f.cause, f.from, f.to, f.tenant, f.check, f.count]);

/** Every [capture, frame] a finding may give as its example: where it is bad (or, lost, last seen). */
function allowedExamples(sc: Scenario): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  sc.packets.forEach((p, k) => {
    for (const [cause, from, to, check] of p.expect) {
      const id = JSON.stringify([cause, from >= 0 ? sc.labels[from] : null, sc.labels[to], p.tenant.key, check]);
      const at = cause === 'lost' ? from : to;
      const set = out.get(id) ?? new Set<string>();
      set.add(JSON.stringify([sc.specs[sc.points[at].capture].name, sc.frameOf[k][at]]));
      out.set(id, set);
    }
  });
  return out;
}

function expectAsBuilt(a: PathAnalysis, sc: Scenario): void {
  const j = a.toJson();
  expect(j.findings.map(counted).sort()).toEqual(sc.findings.map(counted).sort());
  expect(j.packets).toBe(sc.packets.length);
  expect(j.matched).toBe(sc.matched);
  expect(j.unmatched).toEqual(sc.unmatched);
  expect(j.undetermined).toBe(0);
  const allowed = allowedExamples(sc);
  for (const f of j.findings) {
    const ok = allowed.get(JSON.stringify([f.cause, f.from, f.to, f.tenant, f.check])) ?? new Set();
    expect(f.examples.length).toBe(Math.min(10, f.count));
    for (const ex of f.examples) expect(ok.has(JSON.stringify(ex)), `${f.cause} example ${JSON.stringify(ex)}`).toBe(true);
  }
}

describe('where did it break: two captures', () => {
  const sc = pairScenario();

  it('finds the sender, offload, path and lost packets that were built, per tenant, with their frames', async () => {
    const a = await open(sc);
    expectAsBuilt(a, sc);
    const j = a.toJson();
    expect(j.captures).toEqual(['sender.pcapng', 'receiver.pcapng']);
    // The TSO super-frame and the two segments the receiver saw of it: unmatched, not lost.
    expect(j.unmatched).toEqual({ 'sender.pcapng': 4 + 1, 'receiver.pcapng': 1 + 2 });
    expect(j.points).toEqual([
      { point: 'sender.pcapng', capture: 'sender.pcapng', interface: null },
      { point: 'receiver.pcapng', capture: 'receiver.pcapng', interface: null },
    ]);
    const offload = j.findings.find((f) => f.cause === 'offload' && f.tenant === 'nvgre:5001');
    expect(offload?.text).toBe('5 packets of nvgre:5001: the inner TCP checksum was good or partial at sender.pcapng and bad at receiver.pcapng, the bytes it covers unchanged: the device between the points (the sending NIC\'s checksum offload) computed it wrongly');
  });

  it('estimates the receiver clock 3.7 s ahead from traffic both ways, and matches across it', async () => {
    const j = (await open(sc)).toJson();
    expect(j.offsets[1]).toMatchObject({ capture: 'receiver.pcapng', method: 'two-way', against: 'sender.pcapng' });
    expect(Math.abs((j.offsets[1].seconds ?? NaN) - 3.7)).toBeLessThan(0.0001);
    expect(j.pairs).toEqual([expect.objectContaining({ a: 'sender.pcapng', b: 'receiver.pcapng', matched: sc.matched, method: 'two-way' })]);
  });

  it('gives the same findings whatever the clocks say (the offset is estimated, not assumed)', async () => {
    for (const skew of [0, -5_000_000_000, 3_600_000_000_000]) {
      const other = pairScenario(skew);
      const j = (await open(other)).toJson();
      expect(j.findings.map(counted).sort()).toEqual(sc.findings.map(counted).sort());
      expect(Math.abs((j.offsets[1].seconds ?? NaN) - skew / 1e9)).toBeLessThan(0.0001);
    }
  });

  it('pairs a retransmission with equal bytes in time order: a lost original stays lost, a spurious one pairs with its own copy', async () => {
    const a = await open(sc);
    const green = sc.packets.map((p, k) => ({ p, k })).filter(({ p }) => p.tenant.key === 'nvgre:5002' && p.proto === 'tcp' && p.data.length > 0);
    expect(green.length).toBe(4);
    const [lostOrig, retrans, spurOrig, spurRetrans] = green.map(({ k }) => sc.frameOf[k]);
    expect(lostOrig[1]).toBe(0);
    const lost = await a.pathOf(0, lostOrig[0]);
    expect(lost.stops.map((s) => [s.captureName, s.frame])).toEqual([['sender.pcapng', lostOrig[0]]]);
    expect(lost.findings).toEqual([expect.objectContaining({ cause: 'lost', from: 'sender.pcapng', to: 'receiver.pcapng', fromStop: 0, toStop: null })]);
    for (const f of [retrans, spurOrig, spurRetrans]) {
      const path = await a.pathOf(0, f[0]);
      expect(path.stops.map((s) => [s.captureName, s.frame])).toEqual([['sender.pcapng', f[0]], ['receiver.pcapng', f[1]]]);
      expect(path.findings).toEqual([]);
    }
  });

  it('shows a packet\'s path: both copies, the time between them with the offset taken out, verdicts, the finding and the byte diff', async () => {
    const a = await open(sc);
    const k = sc.packets.findIndex((p) => p.expect.some(([c]) => c === 'offload'));
    const [fa, fb] = sc.frameOf[k];
    const path = await a.pathOf(1, fb);
    expect(path.tenant).toBe('nvgre:5001');
    expect(path.stops.map((s) => [s.point, s.frame, s.checks['inner.tcp']])).toEqual([['sender.pcapng', fa, 'partial'], ['receiver.pcapng', fb, 'bad']]);
    const d = path.stops[1].sincePrevious ?? NaN;
    expect(d).toBeGreaterThan(0.00025 - 0.0001);
    expect(d).toBeLessThan(0.00029 + 0.0001);
    expect(path.stops[0].sincePrevious).toBeNull();
    expect(path.findings).toEqual([expect.objectContaining({ cause: 'offload', check: 'inner.tcp', fromStop: 0, toStop: 1 })]);
    expect(path.findings[0].text).toMatch(/^The inner TCP checksum was good or partial at sender.pcapng and bad at receiver.pcapng/);
    const diff = await a.diff(0, fa, 1, fb);
    expect(diff.outerSame).toBe(false);
    expect(diff.fields).toEqual(['tcp.checksum']);
    expect(diff.checksumOnly).toBe(true);

    const kp = sc.packets.findIndex((p) => p.expect.some(([c, , , check]) => c === 'path' && check === 'inner.tcp'));
    const [pa, pb] = sc.frameOf[kp];
    const pd = await a.diff(0, pa, 1, pb);
    expect(pd.fields).toEqual(['tcp.checksum', 'data.data']);
    expect(pd.checksumOnly).toBe(false);
    expect(pd.ranges.at(-1)).toEqual({ a: pd.alignA + 20 + 20 + 10, aLength: 1, b: pd.alignB + 20 + 20 + 10, bLength: 1 });
  });

  it('with traffic one way only, takes the smallest delay as none and keeps the captures in the order given', async () => {
    const oneWay = assemble(sc.specs, sc.points, sc.packets.filter((p) => p.path[0].point === 0));
    expect(oneWay.findings.length).toBeGreaterThan(3);
    const a = await open(oneWay);
    expectAsBuilt(a, oneWay);
    const j = a.toJson();
    expect(j.offsets[1].method).toBe('one-way');
    // The smallest delay (250 us) is taken out: the estimate is that much above the true offset.
    expect(j.offsets[1].seconds).toBeGreaterThan(3.7);
    expect(j.offsets[1].seconds).toBeLessThan(3.7 + 0.0003);
  });

  it('a window too narrow for the delay between the points matches nothing and says so', async () => {
    const j = (await open(sc, 0.00001)).toJson();
    expect(j.matched).toBe(0);
    expect(j.findings.filter((f) => f.cause !== 'sender')).toEqual([]);
  });

  it('refuses no captures and a window that is not a positive number', async () => {
    await expect(analyzePaths([])).rejects.toThrow('no captures');
    const ins = await inputs(sc);
    await expect(analyzePaths(ins, { window: 0 })).rejects.toThrow('positive number of seconds');
    await expect(analyzePaths(ins, { window: Number.NaN })).rejects.toThrow('positive number of seconds');
  });

  it('stops when cancelled', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(analyzePaths(await inputs(sc), { signal: ctl.signal })).rejects.toThrow('cancelled');
  });
});

describe('where did it break: three captures', () => {
  const sc = tripleScenario();

  it('places each finding between the right consecutive points, across three clocks', async () => {
    const a = await open(sc);
    expectAsBuilt(a, sc);
    const j = a.toJson();
    expect(j.offsets.map((o) => o.seconds === null ? null : Math.round(o.seconds * 1000) / 1000)).toEqual([0, 1.5, -2.25]);
  });

  it('orders a packet\'s copies along its path, both ways', async () => {
    const a = await open(sc);
    const k = sc.packets.findIndex((p) => p.expect.some(([c, f]) => c === 'path' && f === 1));
    const path = await a.pathOf(2, sc.frameOf[k][2]);
    expect(path.stops.map((s) => s.point)).toEqual(['host-a.pcapng', 'mirror.pcapng', 'host-b.pcapng']);
    expect(path.stops.map((s) => s.frame)).toEqual(sc.frameOf[k]);
    expect(path.findings).toEqual([expect.objectContaining({ cause: 'path', from: 'mirror.pcapng', to: 'host-b.pcapng', fromStop: 1, toStop: 2 })]);
    const ack = sc.packets.findIndex((p) => p.src.ip === '10.1.0.2');
    const back = await a.pathOf(0, sc.frameOf[ack][0]);
    expect(back.stops.map((s) => s.point)).toEqual(['host-b.pcapng', 'mirror.pcapng', 'host-a.pcapng']);
  });
});

describe('where did it break: a pktmon capture', () => {
  const sc = pktmonScenario();

  it('follows the packet ids from component to component', async () => {
    const a = await open(sc);
    expectAsBuilt(a, sc);
    const j = a.toJson();
    expect(j.points.map((p) => p.point)).toEqual(['pktmon.pcapng:vmNIC', 'pktmon.pcapng:vSwitch', 'pktmon.pcapng:NIC']);
    const out = sc.packets.findIndex((p) => p.expect.some(([c]) => c === 'offload'));
    const path = await a.pathOf(0, sc.frameOf[out][0]);
    expect(path.stops.map((s) => [s.interfaceName, s.frame, s.folded])).toEqual([
      ['vmNIC', sc.frameOf[out][0], true], ['vSwitch', sc.frameOf[out][1], true], ['NIC', sc.frameOf[out][2], false],
    ]);
    expect(Object.keys(path.stops[0].checks)).toEqual(['ipv4', 'tcp']);
    // An inbound ACK is logged with one timestamp at every component: the file's order is its path.
    const ack = sc.packets.findIndex((p) => p.src.ip === '10.1.0.2');
    const back = await a.pathOf(0, sc.frameOf[ack][1]);
    expect(back.stops.map((s) => s.interfaceName)).toEqual(['NIC', 'vSwitch', 'vmNIC']);
    expect(back.stops.map((s) => s.sinceFirst)).toEqual([0, 0, 0]);
  });

  it('folds the copies: each packet once, at its last point; tenant totals count packets; the engine\'s counts stay per frame', async () => {
    const [input] = await inputs(sc);
    const a = await analyzePaths([input]);
    const f = a.folding(0);
    const copies = sc.packets.reduce((n, p) => n + p.path.filter((s) => s.fate !== 'missing').length, 0);
    expect(input.index.frames).toBe(copies);
    const counts = a.foldedCounts(0);
    expect(counts).toMatchObject({ frames: copies, packets: sc.packets.length, folded: copies - sc.packets.length });
    expect(counts.tenants).toEqual([expect.objectContaining({ key: 'nvgre:5001', packets: sc.packets.length })]);
    // Shown copies with a bad checksum: offload and path at the NIC, sender everywhere; lost ones end good.
    expect(counts.bad).toBe(3 + 2 + 2);
    expect((input.index as Engine).status({ tenant: null, filter: '', sort: null }).bad).toBe(3 + 2 + 2 * 3);
    const lost = sc.packets.findIndex((p) => p.expect.some(([c]) => c === 'lost'));
    const [v, s] = sc.frameOf[lost];
    expect(f.copiesOf(v)).toEqual([v, s]);
    expect(f.shownOf(v)).toBe(s);
    expect([f.folded[v - 1], f.folded[s - 1]]).toEqual([1, 0]);
    expect(a.toJson().folded).toEqual({ 'pktmon.pcapng': copies - sc.packets.length });
  });
});
