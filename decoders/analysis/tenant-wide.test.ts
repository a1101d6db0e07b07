// Tenant ids wider than 24 bits (a GTP-U TEID is 32) through the engine: tenant table, rows, filters (both
// tiers), reports, exports, the CLI's JSON and the parallel merge. No tunnel the decoders know carries such
// an id yet, so the decode is widened here: a frame whose VSID/VNI is one of WIDE's keys gets that key's
// value as its tenant id, as a 32-bit tunnel's decoder would give it.
import { describe, expect, it, vi } from 'vitest';
import { buildFrame, eth, geneve, ipv4, nvgre, payload, tcp, udp, vxlan } from '../../scripts/lib/packet-builder.ts';
import type { Layer } from '../../scripts/lib/packet-builder.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { writePcapng, type PcapngPacket } from '../capture/pcapng-writer.ts';
import { loadParallel, type ParallelInfo } from '../parallel/load.ts';
import { localPool } from '../parallel/local-pool.ts';
import { compile } from '../filter/compile.ts';
import { evaluate } from '../filter/evaluate.ts';
import { filterForNode, indexNode } from '../filter/index.ts';
import { PENDING, resolvePending } from '../filter/runner.ts';
import { treeFields } from '../filter/tree-fields.ts';
import type { TreeNode } from '../summary.ts';
import { tenantIdText } from '../tenant-id.ts';
import { Engine } from './engine.ts';
import { flowsCsv, tenantsCsv, tenantsJson } from './export.ts';
import { frameJson, summaryJson } from './report.ts';
import { subsetSummaryJson } from './subset.ts';

const { WIDE } = vi.hoisted(() => ({
  WIDE: new Map<number, number>([
    [0xabc001, 0xffffffff],
    [0xabc002, 0x2000000],
    [0xabc003, 0x4000000],
    [0xabc004, 0x1000000],
    [0xabc005, 0x80000000],
  ]),
}));

vi.mock('../dissect.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../dissect.ts')>();
  return {
    ...real,
    dissect(...args: Parameters<typeof real.dissect>): void {
      real.dissect(...args);
      const s = args[5];
      const wide = WIDE.get(s.vnid);
      if (wide !== undefined) s.vnid = wide;
    },
  };
});

const T0 = 1764000000;
const E = () => eth({ src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' });
const outer = (k: number): Layer => ipv4({ src: `192.168.0.${k}`, dst: '192.168.0.100' });
// The same inner flow in every tenant: tenants must keep their flows apart.
const inner = (): Layer[] => [E(), ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), tcp({ sport: 1234, dport: 80, flags: 'PA' }), payload(16)];
const vx = (vni: number, flags?: number): Layer[] => [E(), outer(1), udp({ sport: 40000, dport: 4789 }), vxlan(vni, flags === undefined ? {} : { flags }), ...inner()];
const nv = (vsid: number): Layer[] => [E(), outer(2), nvgre({ vsid, flowId: 1 }), ...inner()];
const gn = (vni: number): Layer[] => [E(), outer(3), udp({ sport: 40001, dport: 6081 }), geneve(vni), ...inner()];

// Each wide tenant follows the narrower one its key collided with in a packed 32-bit key, (encap << 25) | (vnid + 1).
const FRAMES: Layer[][] = [
  vx(0, 0), // 1: VXLAN without the I flag: no tenant id (-1)
  vx(0xabc001), // 2: VXLAN 4294967295 (0xffffffff + 1 wrapped onto -1 + 1)
  nv(0), // 3: NVGRE 0
  nv(0xabc002), // 4: NVGRE 0x2000000 (bit 25 on the encap: NVGRE 0)
  gn(0), // 5: Geneve 0
  nv(0xabc003), // 6: NVGRE 0x4000000 (Geneve 0's key)
  vx(0xabc004), // 7: VXLAN 16777216
  gn(0xabc005), // 8: Geneve 2147483648 (an Int32 holds it as -2147483648)
  vx(0xabc001), // 9: VXLAN 4294967295 again
];

function capture(): Uint8Array {
  const packets: PcapngPacket[] = FRAMES.map((layers, i) => {
    const f = buildFrame(layers);
    return { tsSec: T0 + i, tsNsec: 0, data: f.data.subarray(0, f.caplen), origlen: f.origlen };
  });
  return writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], packets);
}

const BYTES = capture();

async function load(): Promise<Engine> {
  const e = new Engine();
  await e.load(new MemorySource(BYTES), 'wide.pcapng');
  return e;
}

const TENANTS = [
  ['geneve:0', 'geneve', 0, [5]],
  ['geneve:2147483648', 'geneve', 2147483648, [8]],
  ['nvgre:0', 'nvgre', 0, [3]],
  ['nvgre:33554432', 'nvgre', 33554432, [4]],
  ['nvgre:67108864', 'nvgre', 67108864, [6]],
  ['vxlan:', 'vxlan', null, [1]],
  ['vxlan:16777216', 'vxlan', 16777216, [7]],
  ['vxlan:4294967295', 'vxlan', 4294967295, [2, 9]],
] as const;

describe('tenant ids above 24 bits through the engine', () => {
  it('each (encap, id) is its own tenant, with its own frames and flow', async () => {
    const e = await load();
    expect(e.tenantStats().map((t) => [t.key, t.encap, t.vnid, t.frames, t.flows])).toEqual(
      TENANTS.map(([key, encap, vnid, frames]) => [key, encap, vnid, frames.length, 1]),
    );
    expect(e.status({ tenant: null, sort: null, filter: '' }).tenants).toBe(TENANTS.length);
    expect(e.flowStats(null)).toHaveLength(TENANTS.length);
    for (const [key, , , frames] of TENANTS) {
      expect(e.rows(0, 20, { tenant: key, sort: null, filter: '' }).rows.map((r) => r.n), key).toEqual(frames);
      expect(e.flowStats(key).map((f) => f.tenant)).toEqual([key]);
    }
    const rows = e.rows(0, 20, { tenant: null, sort: null, filter: '' }).rows;
    expect(rows.map((r) => r.tenantKey)).toEqual(['vxlan:', 'vxlan:4294967295', 'nvgre:0', 'nvgre:33554432', 'geneve:0',
      'nvgre:67108864', 'vxlan:16777216', 'geneve:2147483648', 'vxlan:4294967295']);
    expect(rows[1].tenant).toBe('VXLAN 4294967295 (0xffffffff)');
    expect(rows[3].tenant).toBe('NVGRE 33554432 (0x02000000)');
    // Sorting by tenant: encap name, then the id as an unsigned number.
    expect(e.rows(0, 20, { tenant: null, sort: { column: 'tenant', desc: false }, filter: '' }).rows.map((r) => r.n)).toEqual([5, 8, 3, 4, 6, 1, 7, 2, 9]);
  });

  it('display filters compare the whole id, in the column tier and in the byte tier alike', async () => {
    const e = await load();
    const cases: Array<[string, number[]]> = [
      ['tenant.vnid == 4294967295', [2, 9]],
      ['tenant.vnid == 0xffffffff', [2, 9]],
      ['tenant.vnid > 16777216', [2, 4, 6, 8, 9]],
      ['tenant.vnid >= 16777216 && tenant.vnid < 0x80000000', [4, 6, 7]],
      ['tenant.vnid in {16777216 2147483648..4294967294}', [7, 8]],
      ['tenant.vnid & 0x80000000', [2, 8, 9]],
      ['tenant.vnid == 0', [3, 5]],
      ['tenant && !tenant.vnid', [1]],
      ['tenant.encap == vxlan && tenant.vnid != 4294967295', [7]],
      ['vxlan.vni == 4294967295', [2, 9]],
      ['nvgre.vsid > 0xffffff', [4, 6]],
      ['geneve.vni == 2147483648', [8]],
    ];
    for (const [f, want] of cases) {
      const run = e.filters.get(f);
      await resolvePending(e, run, new MemorySource(BYTES));
      const got = FRAMES.map((_, i) => i + 1).filter((n) => run.state[n - 1] === 1);
      expect(got, f).toEqual(want);
      if (!f.startsWith('tenant')) continue;
      // The byte tier reads tenant.* from the frame index too: it must agree frame by frame.
      const byBytes = FRAMES.map((_, i) => i + 1).filter((n) => {
        const loc = e.frameLocation(n);
        return run.test(n - 1, BYTES.subarray(loc.offset, loc.offset + loc.caplen), new Map());
      });
      expect(byBytes, `${f} (byte tier)`).toEqual(want);
      expect(Array.from(run.state.subarray(0, FRAMES.length)).includes(PENDING)).toBe(false);
    }
  });

  it('the details node offers the whole id as a filter', async () => {
    const e = await load();
    const node = indexNode(e, 2);
    expect(node?.label).toBe('Tunnelscope: VXLAN 4294967295 (0xffffffff)');
    const vnid = node?.children?.find((k) => k.field === 'tenant.vnid');
    expect(vnid).toMatchObject({ value: '4294967295 (0xffffffff)', raw: 4294967295 });
  });

  it('CLI JSON, --frames, exports and filtered summaries carry the whole id', async () => {
    const e = await load();
    const sum = summaryJson(e, 'wide.pcapng');
    expect(sum.tenants.map((t) => [t.encap, t.vnid, t.frames])).toEqual(TENANTS.map(([, encap, vnid, frames]) => [encap, vnid, frames.length]));
    expect(JSON.parse(JSON.stringify(sum)).tenants[7]).toMatchObject({ encap: 'vxlan', vnid: 4294967295, frames: 2 });
    expect(frameJson(e, 1)).toMatchObject({ n: 2, encap: 'vxlan', vnid: 4294967295 });
    expect(frameJson(e, 7)).toMatchObject({ n: 8, encap: 'geneve', vnid: 2147483648 });
    expect(frameJson(e, 0)).toMatchObject({ n: 1, encap: 'vxlan', vnid: null });
    const csv = tenantsCsv(e.tenantStats()).split('\r\n');
    expect(csv.filter((l) => /^(vxlan|nvgre|geneve):/.test(l)).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(
      TENANTS.map(([key, encap, vnid, frames]) => `${key},${encap},${vnid ?? ''},${frames.length}`),
    );
    expect((JSON.parse(tenantsJson(e.tenantStats())) as Array<{ key: string; vnid: number | null }>).map((t) => [t.key, t.vnid])).toEqual(
      TENANTS.map(([key, , vnid]) => [key, vnid]),
    );
    expect(flowsCsv(e.flowStats('nvgre:67108864')).split('\r\n')[1]).toMatch(/^nvgre:67108864,tcp,/);
    const run = e.filters.get('tenant.vnid > 16777216');
    const sub = subsetSummaryJson(e, 'wide.pcapng', run.text, run.state);
    expect(sub.tenants.map((t) => [t.encap, t.vnid, t.frames])).toEqual([
      ['geneve', 2147483648, 1], ['nvgre', 33554432, 1], ['nvgre', 67108864, 1], ['vxlan', 4294967295, 2],
    ]);
  });

  it('the parallel load merges chunks into the engine a single reader builds', async () => {
    const serial = await load();
    const cuts = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => Math.floor((BYTES.length * k) / 9));
    for (const jobs of [2, 4]) {
      const par = new Engine();
      const src = new MemorySource(BYTES, 512);
      let info: ParallelInfo | null = null;
      await loadParallel(par, src, 'wide.pcapng', { jobs, plan: { cuts }, pool: () => localPool(src), onPlan: (i) => { info = i; } });
      // Chunks decoded apart and merged (tenant ids cross the merge as PartData), not read by one reader.
      expect((info as ParallelInfo | null)?.merged).toBeGreaterThan(0);
      expect(par.tenantStats()).toEqual(serial.tenantStats());
      expect(par.flowStats(null)).toEqual(serial.flowStats(null));
      const all = { tenant: null, sort: null, filter: '' };
      expect(par.rows(0, 20, all).rows).toEqual(serial.rows(0, 20, all).rows);
      const f = 'tenant.vnid > 16777216';
      expect(Array.from(par.filters.get(f).update().subarray(0, FRAMES.length))).toEqual(Array.from(serial.filters.get(f).update().subarray(0, FRAMES.length)));
    }
  });
});

describe('32-bit tunnel ids in the byte tier', () => {
  // The details tree of a tunnel whose id field is 32 bits wide, as FieldBuilder.uint writes it.
  const tree = (field: string, id: number): TreeNode[] => [
    { label: 'VXLAN', field: field.split('.')[0], start: 0, length: 8, children: [
      { label: `${field}: ${tenantIdText(id)}`, field, value: tenantIdText(id), raw: id, start: 4, length: 4 },
    ] },
  ];
  const test = (f: string, t: TreeNode[]): boolean => {
    const p = compile(f);
    const fields = treeFields(t, new Uint8Array(8), p.fields);
    return evaluate(p.pred, { get: (n) => fields.get(n) ?? [] });
  };

  it('compares ids up to 0xffffffff, and "Apply as filter" gives the whole id', () => {
    for (const field of ['vxlan.vni', 'nvgre.vsid', 'geneve.vni']) {
      const top = tree(field, 0xffffffff);
      expect(test(`${field} == 4294967295`, top)).toBe(true);
      expect(test(`${field} == 0xffffffff`, top)).toBe(true);
      expect(test(`${field} > 16777216`, top)).toBe(true);
      expect(test(`${field} & 0x80000000`, top)).toBe(true);
      expect(test(`${field} in {16777216 4294967295}`, top)).toBe(true);
      expect(test(`${field} > 16777216`, tree(field, 0x1000000))).toBe(false);
      expect(test(`${field} == 16777216`, tree(field, 0x1000000))).toBe(true);
      // From the value text alone (no raw), as nodes of other layers are read.
      const textOnly: TreeNode = { ...(top[0].children?.[0] as TreeNode) };
      delete textOnly.raw;
      expect(test(`${field} == 4294967295`, [{ ...top[0], children: [textOnly] }])).toBe(true);
      expect(filterForNode(top[0].children?.[0] as TreeNode, new Uint8Array(8))).toBe(`${field} == 4294967295`);
    }
  });
});
