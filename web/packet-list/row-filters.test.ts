// The filters of the row menu, run on a real analysis: "Apply as filter" on a column keeps exactly the rows
// that show the same value there, and a conversation filter keeps exactly its flow's frames: the tenant's
// (two tenants, and plain traffic, reuse the same inner 5-tuple here) and both directions.
import { describe, expect, it } from 'vitest';
import {
  arp, buildFrame, eth, icmpEcho, ipv4, ipv6, nvgre, payload, tcp, udp, vxlan, type Layer,
} from '../../scripts/lib/packet-builder.ts';
import { fillLayerRows } from '../../decoders/analysis/layer-rows.ts';
import { Engine } from '../../decoders/analysis/engine.ts';
import { frameFacts } from '../../decoders/analysis/frame-facts.ts';
import type { PacketRow } from '../../decoders/analysis/rows.ts';
import { MemorySource } from '../../decoders/capture/memory-source.ts';
import { writePcapng } from '../../decoders/capture/pcapng-writer.ts';
import { checkFilter } from '../../decoders/filter/index.ts';
import { resolvePending } from '../../decoders/filter/runner.ts';
import {
  checksFilter, columnFilter, combineFilters, conversationFilter, flowConversation, frameConversation, tenantFilter,
} from './row-filters.ts';

const M = { src: '00:15:5d:00:00:01', dst: '00:15:5d:00:00:02' };
const VM = { src: '02:00:00:aa:00:01', dst: 'ff:ff:ff:ff:ff:ff' };
const under = (): Layer[] => [eth(M), ipv4({ src: '192.168.0.1', dst: '192.168.0.2' }), udp({ sport: 40000, dport: 4789 })];
const vx = (vni: number, inner: Layer[]): Layer[] => [...under(), vxlan(vni), eth(M), ...inner];
const t4 = (src: string, dst: string, sport: number, dport: number, checksum: 'good' | 'bad' = 'good'): Layer[] =>
  [ipv4({ src, dst }), tcp({ sport, dport, flags: 'A', checksum }), payload(6)];

const FRAMES: Layer[][] = [
  vx(300, t4('10.0.0.1', '10.0.0.2', 1000, 80)),
  vx(300, t4('10.0.0.2', '10.0.0.1', 80, 1000)),
  vx(301, t4('10.0.0.1', '10.0.0.2', 1000, 80)),
  [eth(M), ...t4('10.0.0.1', '10.0.0.2', 1000, 80)],
  vx(300, t4('10.0.0.1', '10.0.0.2', 1001, 80)),
  vx(300, [ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }), udp({ sport: 53, dport: 53 }), payload(4)]),
  [eth(M), ipv4({ src: '192.168.0.7', dst: '192.168.0.2' }), nvgre({ vsid: 5001, flowId: 7 }), eth(M), ...t4('10.0.0.1', '10.0.0.2', 1000, 80)],
  [eth(M), ipv4({ src: '172.16.0.1', dst: '172.16.0.2' }), udp({ sport: 5353, dport: 53 }), payload(8)],
  vx(300, [ipv6({ src: 'fe80::1', dst: 'fe80::2' }), tcp({ sport: 2000, dport: 22, flags: 'S' }), payload(2)]),
  [...under(), vxlan(300), eth(VM), arp({ senderMac: VM.src, senderIp: '10.0.0.1', targetIp: '10.0.0.9' })],
  [eth(M), ipv4({ src: '172.16.0.1', dst: '172.16.0.9' }), icmpEcho(), payload(8)],
  [eth(M), ...t4('172.16.0.1', '172.16.0.2', 3000, 443, 'bad')],
  vx(300, t4('10.0.0.2', '10.0.0.1', 80, 1000)),
];

async function analysis() {
  const packets = FRAMES.map((layers, k) => {
    const data = buildFrame(layers).data;
    return { tsSec: 1764000000, tsNsec: k * 1000 + 7, data, origlen: data.length };
  });
  const src = new MemorySource(writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], packets));
  const e = new Engine();
  await e.load(src, 't.pcapng');
  // As the worker sends them: ARP rows show their link addresses.
  const rows = e.rows(0, FRAMES.length, { tenant: null, sort: null, filter: '' }).rows;
  await fillLayerRows(e, rows, src);
  return { e, src, rows };
}

const built = analysis();

/** The frames a filter selects, its byte tier run to the end. */
async function select(f: string): Promise<number[]> {
  expect(checkFilter(f).error, f).toBeNull();
  const { e, src } = await built;
  const run = e.filters.get(f);
  await resolvePending(e, run, src);
  return Array.from({ length: e.frames }, (_, i) => i + 1).filter((n) => run.state[n - 1] === 1);
}

const SHOWN: Record<string, (r: PacketRow) => unknown> = {
  no: (r) => r.n, time: (r) => r.time, src: (r) => r.src, dst: (r) => r.dst, outerSrc: (r) => r.outerSrc,
  outerDst: (r) => r.outerDst, protocol: (r) => r.protocol, length: (r) => r.length, tenant: (r) => r.tenantKey,
  flowId: (r) => r.flowId, checks: (r) => r.checks,
};

describe('columnFilter', () => {
  it('keeps exactly the rows that show the same value in that column', async () => {
    const { e, rows } = await built;
    let checked = 0;
    for (const r of rows) {
      for (const [col, shown] of Object.entries(SHOWN)) {
        const f = columnFilter(col, r, frameFacts(e, r.n));
        const v = shown(r);
        if (f === null) {
          expect(v === '' || v === null, `${col} of frame ${r.n} has no filter`).toBe(true);
          continue;
        }
        const same = rows.filter((x) => shown(x) === v).map((x) => x.n);
        expect(await select(f), `${col} of frame ${r.n}: ${f}`).toEqual(same);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('writes the fields a user would', async () => {
    const { e, rows } = await built;
    const [r1, , , r4] = rows;
    const f1 = frameFacts(e, 1);
    expect(columnFilter('src', r1, f1)).toBe('ip.src#-1 == 10.0.0.1');
    expect(columnFilter('src', r4, frameFacts(e, 4))).toBe('ip.src == 10.0.0.1');
    expect(columnFilter('dst', rows[8], frameFacts(e, 9))).toBe('ipv6.dst#-1 == fe80::2');
    expect(columnFilter('src', rows[9], frameFacts(e, 10))).toBe('eth.src#-1 == 02:00:00:aa:00:01');
    expect(columnFilter('outerSrc', r1, f1)).toBe('ip.src#1 == 192.168.0.1');
    expect(columnFilter('tenant', r1, f1)).toBe('tenant.encap == vxlan && tenant.vnid == 300');
    expect(columnFilter('tenant', r4, null)).toBe('!tenant');
    expect(columnFilter('protocol', r1, f1)).toBe('_ws.col.protocol == "TCP"');
    expect(columnFilter('time', r1, f1)).toBe('frame.time == "2025-11-24T16:00:00.000000007Z"');
    expect(columnFilter('time', r1, null)).toBeNull();
    expect(columnFilter('info', r1, f1)).toBeNull();
    expect(columnFilter('custom:ip.ttl', r1, f1, { text: '64', filter: 'ip.ttl == 64' })).toBe('ip.ttl == 64');
    expect(columnFilter('custom:ip.ttl', r1, f1, { text: '', filter: null })).toBeNull();
    expect(columnFilter('custom:ip.ttl', r1, f1)).toBeNull();
  });

  it('reads the Checksums column: each finding, "no checksum", or none at all', () => {
    expect(checksFilter('')).toBeNull();
    expect(checksFilter('inner.tcp bad, inner.udp partial')).toBe('checksum.bad.check == "inner.tcp" && checksum.partial.check == "inner.udp"');
    expect(checksFilter('udp no checksum')).toBe('udp.checksum.status == zero');
    expect(checksFilter('ok')).toBe('!checksum.bad && !checksum.partial && !checksum.zero && !checksum.unverified');
    for (const f of [checksFilter('inner.tcp bad, inner.udp partial'), checksFilter('ok'), checksFilter('udp no checksum')]) {
      expect(checkFilter(f ?? '').error).toBeNull();
    }
  });
});

describe('conversationFilter', () => {
  it('keeps exactly a flow\'s frames, both directions, in its tenant only', async () => {
    const { e, rows } = await built;
    const flows = e.flowStats(null);
    expect(flows.length).toBeGreaterThanOrEqual(8);
    for (const fl of flows) {
      // The ARP frame inside VXLAN has no IP header of its own: the engine files it under the underlay's
      // addresses, which the tenant's inner-IPv6 frame has as its last IPv4 header too. Its row's
      // conversation is its link addresses (below).
      if (fl.firstFrame === 10) continue;
      const facts = rows.map((r) => frameFacts(e, r.n));
      const ends = (a: string, ap: number | null, b: string, bp: number | null): string => [`${a}|${ap}`, `${b}|${bp}`].sort().join(' ');
      const want = facts.filter((f) => f.tenant === fl.tenant && f.inner !== null && f.inner.proto === fl.proto
        && ends(f.inner.src, f.inner.sport, f.inner.dst, f.inner.dport) === ends(fl.a, fl.aPort, fl.b, fl.bPort)).map((f) => f.n);
      expect(want.length, `flow ${JSON.stringify(fl)}`).toBe(fl.frames);
      const f = conversationFilter(flowConversation(fl));
      expect(await select(f), f).toEqual(want);
      // From a row of the flow, the same filter.
      const c = frameConversation(frameFacts(e, fl.firstFrame), rows[fl.firstFrame - 1]);
      expect(c && conversationFilter(c)).toBe(f);
    }
  });

  it('is the tenant plus the inner addresses and ports, or the 5-tuple of plain traffic', async () => {
    const { e, rows } = await built;
    expect(conversationFilter(frameConversation(frameFacts(e, 2), rows[1])!)).toBe(
      'tenant.encap == vxlan && tenant.vnid == 300 && ip.addr#-1 == 10.0.0.2 && ip.addr#-1 == 10.0.0.1 && tcp.port#-1 == 80 && tcp.port#-1 == 1000',
    );
    expect(conversationFilter(frameConversation(frameFacts(e, 4), rows[3])!)).toBe(
      '!tenant && ip.addr == 10.0.0.1 && ip.addr == 10.0.0.2 && tcp.port == 1000 && tcp.port == 80',
    );
    expect(conversationFilter(frameConversation(frameFacts(e, 11), rows[10])!)).toBe('!tenant && ip.addr == 172.16.0.1 && ip.addr == 172.16.0.9 && icmp');
    // ARP has no IP header: its link addresses, in its tenant.
    const arpConv = conversationFilter(frameConversation(frameFacts(e, 10), rows[9])!);
    expect(arpConv).toBe('tenant.encap == vxlan && tenant.vnid == 300 && eth.addr#-1 == 02:00:00:aa:00:01 && eth.addr#-1 == ff:ff:ff:ff:ff:ff');
    expect(await select(arpConv)).toEqual([10]);
  });

  it('names GRE without a key, combines with the applied filter', () => {
    expect(tenantFilter('gre:')).toBe('tenant.encap == gre && !tenant.vnid');
    expect(conversationFilter({ tenant: 'gre:', proto: '47', a: '10.1.0.1', aPort: null, b: '10.1.0.1', bPort: null }))
      .toBe('tenant.encap == gre && !tenant.vnid && ip.addr#-1 == 10.1.0.1 && ip.proto#-1 == 47');
    expect(combineFilters('', '&&', 'tcp')).toBe('tcp');
    expect(combineFilters(' udp || icmp ', '||', 'tcp')).toBe('(udp || icmp) || tcp');
  });
});
