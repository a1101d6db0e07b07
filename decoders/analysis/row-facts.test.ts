// What the packet list's row menu and time formats read from the engine: each row's timestamp, the time
// since the previous captured and the previous displayed frame (in file order, whatever the sort), a
// frame's facts (tenant key, the frame that reassembled it), custom column cells, and _ws.col.protocol.
import { describe, expect, it } from 'vitest';
import { fragmentFrame } from '../../scripts/lib/fragment.ts';
import { buildFrame, eth, ipv4, ipv6, nvgre, payload, tcp, udp, vxlan, type Layer } from '../../scripts/lib/packet-builder.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { writePcapng } from '../capture/pcapng-writer.ts';
import { customCells, MAX_CUSTOM_FRAMES } from '../filter/custom-columns.ts';
import { resolvePending } from '../filter/runner.ts';
import { Engine } from './engine.ts';
import { frameFacts } from './frame-facts.ts';

const T0 = 1764000000; // 2025-11-24T16:00:00Z
const M = { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' };
const ALL = { tenant: null, sort: null, filter: '' };
/** Seconds to nanoseconds, as the float arithmetic leaves them within a nanosecond. */
const ns = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e9));

const vx = (vni: number, src: string, dst: string, sport: number, dport: number, ttl = 64): Layer[] => [
  eth(M), ipv4({ src: '192.168.0.1', dst: '192.168.0.2' }), udp({ sport: 40000, dport: 4789 }), vxlan(vni),
  eth(M), ipv4({ src, dst, ttl }), tcp({ sport, dport, flags: 'A' }), payload(10),
];
const plain = (src: string, dst: string, sport: number, dport: number): Layer[] => [eth(M), ipv4({ src, dst }), udp({ sport, dport }), payload(8)];

/** Frames at T0 + the given offsets in nanoseconds. */
async function open(frames: Array<{ layers?: Layer[]; data?: Uint8Array; ns: number }>): Promise<{ e: Engine; src: MemorySource }> {
  const packets = frames.map((f) => {
    const data = f.data ?? buildFrame(f.layers ?? []).data;
    return { tsSec: T0 + Math.floor(f.ns / 1e9), tsNsec: f.ns % 1e9, data, origlen: data.length };
  });
  const src = new MemorySource(writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], packets), 4096);
  const e = new Engine();
  await e.load(src, 't.pcapng');
  return { e, src };
}

describe('row times', () => {
  it('carries the timestamp and the seconds since the previous captured and displayed frame', async () => {
    const { e } = await open([
      { layers: vx(300, '10.0.0.1', '10.0.0.2', 1000, 80), ns: 1 },
      { layers: plain('172.16.0.1', '172.16.0.2', 53, 53), ns: 500_000_001 },
      { layers: vx(300, '10.0.0.2', '10.0.0.1', 80, 1000), ns: 1_250_000_001 },
      { layers: vx(301, '10.0.0.1', '10.0.0.2', 1000, 80), ns: 2_000_000_000 },
    ]);
    const all = e.rows(0, 4, ALL).rows;
    expect(all.map((r) => r.epoch)).toEqual([
      { sec: T0, nsec: 1 }, { sec: T0, nsec: 500_000_001 }, { sec: T0 + 1, nsec: 250_000_001 }, { sec: T0 + 2, nsec: 0 },
    ]);
    expect(all.map((r) => ns(r.delta))).toEqual([0, 500_000_000, 750_000_000, 749_999_999]);
    expect(all.map((r) => ns(r.deltaShown))).toEqual([0, 500_000_000, 750_000_000, 749_999_999]);

    // Narrowed to one tenant: the previous displayed frame is the tenant's, frame 2 is not shown.
    const t300 = e.rows(0, 4, { tenant: 'vxlan:300', sort: null, filter: '' }).rows;
    expect(t300.map((r) => [r.n, ns(r.delta), ns(r.deltaShown)])).toEqual([[1, 0, 0], [3, 750_000_000, 1_250_000_000]]);
    const filtered = e.rows(0, 4, { tenant: null, sort: null, filter: 'tcp' }).rows;
    expect(filtered.map((r) => [r.n, ns(r.deltaShown)])).toEqual([[1, 0], [3, 1_250_000_000], [4, 749_999_999]]);

    // Sorted, "previous displayed" still means the one before it in the file among those shown.
    const sorted = e.rows(0, 4, { tenant: null, sort: { column: 'no', desc: true }, filter: 'tcp' }).rows;
    expect(sorted.map((r) => [r.n, ns(r.deltaShown)])).toEqual([[4, 749_999_999], [3, 1_250_000_000], [1, 0]]);
    const sortedAll = e.rows(0, 4, { tenant: null, sort: { column: 'length', desc: false }, filter: '' }).rows;
    expect(ns(sortedAll.find((r) => r.n === 3)?.deltaShown ?? null)).toBe(750_000_000);
  });
});

describe('frameFacts', () => {
  it('gives the tenant key and the inner 5-tuple', async () => {
    const { e } = await open([
      { layers: vx(300, '10.0.0.1', '10.0.0.2', 1000, 80), ns: 0 },
      { layers: plain('172.16.0.1', '172.16.0.2', 5353, 53), ns: 1 },
      { layers: [eth(M), ipv6({ src: 'fe80::1', dst: 'fe80::2' }), udp({ sport: 546, dport: 547 }), payload(4)], ns: 2 },
    ]);
    expect(frameFacts(e, 1)).toMatchObject({
      n: 1, tenant: 'vxlan:300', encap: 'vxlan', vnid: 300, reassembledIn: null,
      outer: { src: '192.168.0.1', dst: '192.168.0.2' },
      inner: { src: '10.0.0.1', dst: '10.0.0.2', proto: 'tcp', sport: 1000, dport: 80 },
    });
    expect(frameFacts(e, 2)).toMatchObject({ tenant: null, outer: null, inner: { src: '172.16.0.1', sport: 5353, dport: 53 } });
    expect(frameFacts(e, 3)).toMatchObject({ tenant: null, inner: { src: 'fe80::1', dst: 'fe80::2', proto: 'udp' } });
    expect(() => frameFacts(e, 4)).toThrow(/no frame 4/);
  });

  it('names the frame that reassembled an IP fragment', async () => {
    const layers: Layer[] = [
      eth(M), ipv4({ src: '192.168.10.11', dst: '192.168.10.12', id: 0x100 }), nvgre({ vsid: 5001, flowId: 7 }),
      eth(M), ipv4({ src: '10.0.0.5', dst: '10.0.0.6' }), tcp({ sport: 40000, dport: 443, flags: 'PA' }), payload(2000),
    ];
    const frags = fragmentFrame(buildFrame(layers).data, 14, 1000);
    const { e } = await open(frags.map((data, k) => ({ data, ns: k })));
    expect([1, 2, 3].map((n) => frameFacts(e, n).reassembledIn)).toEqual([3, 3, 3]);
    expect(frameFacts(e, 1).tenant).toBe('nvgre:5001');
  });
});

describe('customCells', () => {
  it('reads a field of each frame asked, with the filter for its value, in the order asked', async () => {
    const { e, src } = await open([
      { layers: vx(300, '10.0.0.1', '10.0.0.2', 1000, 80, 61), ns: 0 },
      { layers: plain('172.16.0.1', '172.16.0.2', 5353, 53), ns: 1 },
      { layers: vx(301, '10.0.0.3', '10.0.0.4', 1000, 80, 62), ns: 2 },
    ]);
    const cells = await customCells(e, src, [3, 1, 2], ['vxlan.vni', 'tcp.dstport', 'ip.src', 'tenant.vnid']);
    expect(cells.map((row) => row.map((c) => c.text))).toEqual([
      ['301 (0x00012d)', '80', '192.168.0.1,10.0.0.3', '301 (0x00012d)'],
      ['300 (0x00012c)', '80', '192.168.0.1,10.0.0.1', '300 (0x00012c)'],
      ['', '', '172.16.0.1', ''],
    ]);
    expect(cells[0].map((c) => c.filter)).toEqual(['vxlan.vni == 301', 'tcp.dstport == 80', 'ip.src == 192.168.0.1', 'tenant.vnid == 301']);
    expect(cells[2][0]).toEqual({ text: '', filter: null });
    expect(await customCells(e, src, [1, 2], [])).toEqual([[], []]);
  });

  it('refuses frames that do not exist and more frames than a screen holds', async () => {
    const { e, src } = await open([{ layers: plain('172.16.0.1', '172.16.0.2', 1, 2), ns: 0 }]);
    await expect(customCells(e, src, [2], ['ip.src'])).rejects.toThrow(/no frame 2/);
    await expect(customCells(e, src, Array.from({ length: MAX_CUSTOM_FRAMES + 1 }, () => 1), ['ip.src'])).rejects.toThrow(/at most/);
  });
});

describe('_ws.col.protocol', () => {
  it('selects the frames whose Protocol column reads so, from the index and from the bytes alike', async () => {
    const { e, src } = await open([
      { layers: vx(300, '10.0.0.1', '10.0.0.2', 1000, 80), ns: 0 },
      { layers: plain('172.16.0.1', '172.16.0.2', 40000, 40001), ns: 1 },
      { layers: [...vx(300, '10.0.0.1', '10.0.0.2', 1, 2).slice(0, 6), udp({ sport: 40002, dport: 40003 }), payload(4)], ns: 2 },
      // Ports no application layer claims: port 53 would make the Protocol column read DNS.
    ]);
    expect(e.rows(0, 3, ALL).rows.map((r) => r.protocol)).toEqual(['TCP', 'UDP', 'UDP']);
    const match = (f: string): number[] => e.rows(0, 10, { tenant: null, sort: null, filter: f }).rows.map((r) => r.n);
    expect(match('_ws.col.protocol == "UDP"')).toEqual([2, 3]);
    expect(match('_ws.col.protocol == "TCP"')).toEqual([1]);
    expect(match('_ws.col.protocol != "UDP"')).toEqual([1]);
    // `udp` alone would take the VXLAN frame whose inner protocol is TCP as well.
    expect(match('udp')).toEqual([1, 2, 3]);
    // Operators the index does not answer go to the byte tier, which reads the same value.
    const run = e.filters.get('_ws.col.protocol contains "DP"');
    expect(run.pending).toBe(3);
    await resolvePending(e, run, src);
    expect(match('_ws.col.protocol contains "DP"')).toEqual([2, 3]);
  });
});
