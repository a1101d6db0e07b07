// The engine end to end on captures built here frame by frame: tenants, flows, verdict counts,
// views (narrowing, sorting), the offload report and the JSON shapes.
import { describe, expect, it } from 'vitest';
import {
  buildFrame, eth, geneve, icmpEcho, ipv4, ipv6, nvgre, payload, tcp, udp, vxlan,
} from '../../scripts/lib/packet-builder.ts';
import type { Layer } from '../../scripts/lib/packet-builder.ts';
import { writePcapng } from '../capture/pcapng-writer.ts';
import type { PcapngPacket } from '../capture/pcapng-writer.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { frameJson, summaryJson } from './report.ts';
import { annotateFilters, indexNode } from '../filter/index.ts';
import type { TreeNode } from '../summary.ts';

const T0 = 1764000000; // 2025-11-24T16:00:00Z
const E = (s: string, d: string) => eth({ src: s, dst: d });
const M1 = '00:15:5d:00:00:01', M2 = '00:15:5d:00:00:02';

function tunnelNvgre(outerSrc: string, vsid: number, flowId: number, inner: Layer[]): Layer[] {
  return [E(M1, M2), ipv4({ src: outerSrc, dst: '192.168.0.2' }), nvgre({ vsid, flowId }), E(M1, M2), ...inner];
}

interface Spec { layers: Layer[]; snaplen?: number }

async function analyse(specs: Spec[], chunk = 4096): Promise<Engine> {
  const packets: PcapngPacket[] = specs.map((s, i) => {
    const f = buildFrame(s.layers, { snaplen: s.snaplen });
    return { tsSec: T0 + Math.floor(i / 10), tsNsec: (i % 10) * 100_000_000 + 1, data: f.data.subarray(0, f.caplen), origlen: f.origlen };
  });
  const bytes = writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], packets);
  const e = new Engine();
  await e.load(new MemorySource(bytes, chunk), 't.pcapng');
  return e;
}

const innerTcp = (sport: number, dport: number, checksum: 'good' | 'bad' | 'partial' = 'good', flags = 'A'): Layer[] => [
  ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), tcp({ sport, dport, flags, checksum }), payload(20),
];
const innerTcpRev = (sport: number, dport: number): Layer[] => [
  ipv4({ src: '10.0.0.2', dst: '10.0.0.1' }), tcp({ sport, dport }), payload(20),
];

describe('Engine', () => {
  it('keeps two tenants that reuse the same inner 5-tuple apart, both directions in one flow', async () => {
    const e = await analyse([
      { layers: tunnelNvgre('192.168.0.1', 5001, 1, innerTcp(50000, 443)) },
      { layers: tunnelNvgre('192.168.0.1', 5001, 1, innerTcpRev(443, 50000)) },
      { layers: tunnelNvgre('192.168.0.3', 5002, 9, innerTcp(50000, 443)) },
      { layers: tunnelNvgre('192.168.0.3', 5002, 9, innerTcp(50000, 443, 'bad')) },
      { layers: tunnelNvgre('192.168.0.3', 5002, 9, innerTcp(50000, 443, 'partial')) },
    ]);
    expect(e.frames).toBe(5);
    const t = e.tenantStats();
    expect(t.map((x) => [x.key, x.frames, x.flows, x.bad, x.partial])).toEqual([
      ['nvgre:5001', 2, 1, 0, 0],
      ['nvgre:5002', 3, 1, 1, 1],
    ]);
    expect(t[0].firstTime).toBe('2025-11-24T16:00:00.000000001Z');
    const flows = e.flowStats(null);
    expect(flows).toHaveLength(2);
    expect(flows.find((f) => f.tenant === 'nvgre:5001')).toMatchObject({ proto: 'tcp', a: '10.0.0.1', aPort: 50000, b: '10.0.0.2', bPort: 443, frames: 2 });
    expect(e.flowStats('nvgre:5002')[0]).toMatchObject({ frames: 3, bad: 1, partial: 1 });
    const s = summaryJson(e, 't.pcapng');
    expect(s.flagged).toEqual([4]);
    expect(s.checks['inner.tcp']).toEqual({ good: 3, bad: 1, partial: 1, zero: 0, unverified: 0, noChecksum: 0 });
    expect(s.checks.ipv4.good).toBe(5);
    expect(s.checks['inner.ipv4'].good).toBe(5);
    expect(frameJson(e, 0)).toEqual({
      n: 1, time: '2025-11-24T16:00:00.000000001Z', caplen: expect.any(Number), len: expect.any(Number),
      encap: 'nvgre', vnid: 5001, flowId: 1,
      outer: { src: '192.168.0.1', dst: '192.168.0.2' },
      inner: { src: '10.0.0.1', dst: '10.0.0.2', proto: 'tcp', sport: 50000, dport: 443 },
      checks: { ipv4: 'good', 'inner.ipv4': 'good', 'inner.tcp': 'good' },
      reassembledIn: null,
      direction: null,
      superframe: false,
    });
  });

  it('reads VXLAN and Geneve tenants and plain traffic; UDP zero over IPv4 is not a problem', async () => {
    const e = await analyse([
      { layers: [E(M1, M2), ipv4({ src: '172.16.0.1', dst: '172.16.0.2' }), udp({ sport: 33333, checksum: 'zero' }), vxlan(300), E(M1, M2), ...innerTcp(1, 2)] },
      { layers: [E(M1, M2), ipv4({ src: '172.16.0.1', dst: '172.16.0.2' }), udp({ sport: 33333 }), geneve(0x123456), E(M1, M2), ipv4({ src: '10.1.0.1', dst: '10.1.0.2' }), icmpEcho()] },
      { layers: [E(M1, M2), ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }), udp({ sport: 53, dport: 5353 }), payload(10)] },
      { layers: [E(M1, M2), ipv4({ src: '10.9.9.9', dst: '10.9.9.8', checksum: 'zero' }), udp({ sport: 1, dport: 2 }), payload(4)] },
      // UDP over IPv6 must carry a checksum (RFC 8200): a zero there is a finding.
      { layers: [E(M1, M2), ipv6({ src: '2001:db8::7', dst: '2001:db8::8' }), udp({ sport: 7, dport: 8, checksum: 'zero' }), payload(4)] },
    ]);
    expect(e.tenantStats().map((t) => t.key)).toEqual(['geneve:1193046', 'vxlan:300']);
    const rows = e.rows(0, 10, { tenant: null, sort: null, filter: '' }).rows;
    expect(rows.map((r) => r.tenant)).toEqual(['VXLAN 300 (0x00012c)', 'Geneve 1193046 (0x123456)', '', '', '']);
    expect(rows[0]).toMatchObject({ src: '10.0.0.1', dst: '10.0.0.2', outerSrc: '172.16.0.1', protocol: 'TCP', severity: null });
    // The verdict stays zero (CLI, *.checksum.status), but the list says what it is.
    expect(rows[0].checks).toBe('udp no checksum');
    expect(frameJson(e, 0).checks.udp).toBe('zero');
    expect(rows[4]).toMatchObject({ checks: 'udp zero', severity: 'zero' });
    expect(rows[1]).toMatchObject({ protocol: 'ICMP', info: 'Echo (ping) request', checks: 'ok' });
    expect(rows[2]).toMatchObject({ src: '2001:db8::1', outerSrc: '', tenant: '', tenantKey: null });
    // An IPv4 header checksum of zero means offload never filled it in: amber, and in the offload report.
    expect(rows[3].severity).toBe('zero');
    const report = e.offload();
    expect(report.groups).toEqual([
      { check: 'ipv4', verdict: 'zero', source: '10.9.9.9', frames: 1, sample: [4] },
      { check: 'udp', verdict: 'zero', source: '2001:db8::7', frames: 1, sample: [5] },
    ]);
    expect(report.frames).toEqual({ bad: 0, partial: 0, zero: 2 });
    expect(report.noChecksum).toBe(1);
    // zero counts every zero verdict; noChecksum the allowed part of them.
    expect(e.checks().udp).toMatchObject({ zero: 2, noChecksum: 1 });
    expect(frameJson(e, 2).outer).toBeNull();
    expect(frameJson(e, 2).inner).toEqual({ src: '2001:db8::1', dst: '2001:db8::2', proto: 'udp', sport: 53, dport: 5353 });
  });

  it('shows a tenant id the same way in the row, the layer and the Tunnelscope node: decimal (hex)', async () => {
    const udpTo = (dport: number) => [E(M1, M2), ipv4({ src: '172.16.0.1', dst: '172.16.0.2' }), udp({ sport: 33333, dport })];
    const specs: Spec[] = [
      { layers: [...udpTo(4789), vxlan(0x123456), E(M1, M2), ...innerTcp(1, 2)] },
      { layers: [...udpTo(6081), geneve(0x123456), E(M1, M2), ...innerTcp(1, 2)] },
      { layers: tunnelNvgre('192.168.0.1', 0x123456, 1, innerTcp(1, 2)) },
    ];
    const e = await analyse(specs);
    const rows = e.rows(0, 10, { tenant: null, sort: null, filter: '' }).rows;
    expect(rows.map((r) => r.tenant)).toEqual(['VXLAN 1193046 (0x123456)', 'Geneve 1193046 (0x123456)', 'NVGRE 1193046 (0x123456)']);
    const fields = ['vxlan.vni', 'geneve.vni', 'nvgre.vsid'];
    specs.forEach((spec, k) => {
      const f = buildFrame(spec.layers);
      const tree = e.detail(k + 1, f.data.subarray(0, e.frameLocation(k + 1).caplen));
      const extra = indexNode(e, k + 1);
      const flat: TreeNode[] = [];
      const walk = (ns: TreeNode[]) => ns.forEach((x) => { flat.push(x); if (x.children) walk(x.children); });
      walk([...tree, ...(extra ? [extra] : [])]);
      const field = flat.find((x) => x.field === fields[k]);
      expect(field).toMatchObject({ value: '1193046 (0x123456)', raw: 0x123456 });
      expect(flat.find((x) => x.field === fields[k].split('.')[0])?.label).toMatch(/, (VNI|VSID): 1193046 \(0x123456\)/);
      expect(flat.find((x) => x.field === 'tenant.vnid')).toMatchObject({ value: '1193046 (0x123456)', raw: 0x123456 });
      expect(extra?.label).toBe(`Tunnelscope: ${rows[k].tenant}`);
      // "Apply as filter" still writes a plain number, and both literal forms select the frame.
      annotateFilters([field as TreeNode], f.data);
      expect(field?.filter).toBe(`${fields[k]} == 1193046`);
    });
    for (const text of ['vxlan.vni == 1193046', 'vxlan.vni == 0x123456', 'tenant.vnid == 0x123456 && geneve']) {
      expect(e.rows(0, 10, { tenant: null, sort: null, filter: text }).total).toBe(1);
    }
  });

  it('sorts the Tenant column by encap, then by id as a number', async () => {
    const udpTo = (dport: number) => [E(M1, M2), ipv4({ src: '172.16.0.1', dst: '172.16.0.2' }), udp({ sport: 33333, dport })];
    const e = await analyse([100, 99, 1000, 5].map((vni) => ({ layers: [...udpTo(4789), vxlan(vni), E(M1, M2), ...innerTcp(1, 2)] })));
    const rows = e.rows(0, 10, { tenant: null, sort: { column: 'tenant', desc: false }, filter: '' }).rows;
    expect(rows.map((r) => r.tenantKey)).toEqual(['vxlan:5', 'vxlan:99', 'vxlan:100', 'vxlan:1000']);
  });

  it('narrows and sorts views, also while frames keep arriving', async () => {
    const specs: Spec[] = [];
    for (let i = 0; i < 60; i++) {
      specs.push({ layers: tunnelNvgre(`192.168.1.${1 + (i % 3)}`, 6000 + (i % 3), i % 3, innerTcp(40000 + i, 80, i % 7 === 0 ? 'bad' : 'good')) });
    }
    const e = await analyse(specs, 64);
    const view = { tenant: 'nvgre:6001', sort: null, filter: '' };
    const r = e.rows(0, 100, view);
    expect(r.total).toBe(20);
    expect(r.rows.every((x) => x.tenantKey === 'nvgre:6001')).toBe(true);
    expect(e.status(view)).toEqual({ frames: 60, shown: 20, tenants: 3, bad: 9, partial: 0 });
    const byLenDesc = e.rows(0, 60, { tenant: null, sort: { column: 'checks', desc: true }, filter: '' }).rows;
    expect(byLenDesc.slice(0, 9).every((x) => x.severity === 'bad')).toBe(true);
    const bySrc = e.rows(0, 60, { tenant: null, sort: { column: 'info', desc: false }, filter: '' }).rows;
    expect(bySrc[0].info).toMatch(/^40000 → 80/);
    expect(e.indexOf(5, view)).toBe(1); // frames 2, 5, 8, … are tenant 6001
    expect(e.indexOf(1, view)).toBe(-1);
    const ts = e.timeSeries(10, 2);
    expect(ts.series).toEqual(['nvgre:6000', 'nvgre:6001', 'other']);
    const total = ts.buckets.reduce((n, b) => n + Object.values(b.bytes).reduce((x, y) => x + y, 0), 0);
    expect(total).toBe(e.totalBytes);
    expect(ts.buckets.reduce((n, b) => n + b.bad, 0)).toBe(9);
  });

  it('marks snaplen-truncated frames unverified and builds the detail tree from bytes', async () => {
    const e = await analyse([
      { layers: tunnelNvgre('192.168.0.1', 5001, 1, innerTcp(1000, 80)), snaplen: 100 },
      { layers: tunnelNvgre('192.168.0.1', 5001, 1, innerTcp(1000, 80, 'bad')) },
    ]);
    expect(frameJson(e, 0).checks['inner.tcp']).toBe('unverified');
    const loc = e.frameLocation(2);
    const f = buildFrame(tunnelNvgre('192.168.0.1', 5001, 1, innerTcp(1000, 80, 'bad')));
    const tree = e.detail(2, f.data.subarray(0, loc.caplen));
    expect(tree[0].label).toMatch(/^Frame 2: \d+ bytes on wire/);
    const flat: Array<{ field?: string; verdict?: string; expected?: string }> = [];
    const walk = (n: typeof tree) => n.forEach((x) => { flat.push(x); if (x.children) walk(x.children); });
    walk(tree);
    expect(flat.find((x) => x.field === 'nvgre.vsid')).toMatchObject({ value: expect.stringMatching(/^5001\b/) });
    const bad = flat.filter((x) => x.verdict === 'bad' && x.field === 'tcp.checksum');
    expect(bad).toHaveLength(1);
    expect(bad[0].expected).toMatch(/^0x[0-9a-f]{4}$/);
    expect(() => e.frameLocation(3)).toThrow(/no frame 3/);
  });
});
