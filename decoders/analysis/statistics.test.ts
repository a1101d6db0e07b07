// Conversations, endpoints and the protocol hierarchy on a generated capture whose figures are known from how
// it was built: which frames go which way, in which tenant, and their lengths.
import { describe, expect, it } from 'vitest';
import { arp, buildFrame, eth, ipv4, nvgre, payload, tcp, udp, vxlan, type Layer } from '../../scripts/lib/packet-builder.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { writePcapng, type PcapngPacket } from '../capture/pcapng-writer.ts';
import { ipConversations, type ConversationRow } from './conversations.ts';
import { Engine } from './engine.ts';
import { byteStatistics, type HierarchyNode } from './proto-hierarchy.ts';

const T0 = 1764000000;
const M1 = '00:15:5d:00:00:01', M2 = '00:15:5d:00:00:02', M3 = '02:00:00:00:00:0a', M4 = '02:00:00:00:00:0b';

interface Spec { layers: Layer[]; group: string }

const plain = (fwd: boolean, n: number): Spec => ({
  group: 'plain',
  layers: [eth({ src: fwd ? M1 : M2, dst: fwd ? M2 : M1 }), ipv4({ src: fwd ? '10.1.1.1' : '10.1.1.2', dst: fwd ? '10.1.1.2' : '10.1.1.1' }),
    tcp({ sport: fwd ? 40000 : 40001, dport: fwd ? 40001 : 40000, flags: 'A' }), payload(n)],
});
/** VXLAN from VTEP .1 to .2 (or back), tenant `vni`, inner TCP 10.0.0.1:40500 <-> 10.0.0.2:40443. */
const vx = (vni: number, fwd: boolean, n: number): Spec => ({
  group: `vx${vni}`,
  layers: [eth({ src: fwd ? M1 : M2, dst: fwd ? M2 : M1 }), ipv4({ src: fwd ? '192.168.0.1' : '192.168.0.2', dst: fwd ? '192.168.0.2' : '192.168.0.1' }),
    udp({ sport: fwd ? 50000 : 50001, dport: 4789 }), vxlan(vni), eth({ src: fwd ? M3 : M4, dst: fwd ? M4 : M3 }),
    ipv4({ src: fwd ? '10.0.0.1' : '10.0.0.2', dst: fwd ? '10.0.0.2' : '10.0.0.1' }), tcp({ sport: fwd ? 40500 : 40443, dport: fwd ? 40443 : 40500, flags: 'A' }), payload(n)],
});
const nv: Spec = {
  group: 'nv',
  layers: [eth({ src: M1, dst: M2 }), ipv4({ src: '192.168.0.3', dst: '192.168.0.4' }), nvgre({ vsid: 5001, flowId: 1 }),
    eth({ src: M3, dst: M4 }), ipv4({ src: '10.0.0.1', dst: '10.0.0.9' }), udp({ sport: 40053, dport: 40054 }), payload(12)],
};
const arpFrame: Spec = { group: 'arp', layers: [eth({ src: M1, dst: 'ff:ff:ff:ff:ff:ff' }), arp({ op: 1, senderMac: M1, senderIp: '10.1.1.1', targetMac: '00:00:00:00:00:00', targetIp: '10.1.1.2' })] };

const SPECS: Spec[] = [
  plain(true, 10), vx(300, true, 100), plain(false, 0), vx(300, false, 20), plain(true, 30), vx(301, true, 5), nv, plain(true, 1),
  vx(300, true, 7), arpFrame, plain(false, 4),
];

async function load(): Promise<{ e: Engine; bytes: Uint8Array; lens: number[] }> {
  const lens: number[] = [];
  const packets: PcapngPacket[] = SPECS.map((s, i) => {
    const f = buildFrame(s.layers);
    lens.push(f.origlen);
    return { tsSec: T0 + i, tsNsec: 500, data: f.data.subarray(0, f.caplen), origlen: f.origlen };
  });
  const bytes = writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], packets);
  const e = new Engine();
  await e.load(new MemorySource(bytes, 4096), 's.pcapng');
  return { e, bytes, lens };
}

/** Packets and bytes of the specs selected by `pick` (index, spec). */
function tally(lens: number[], pick: (i: number, s: Spec) => boolean): [number, number] {
  let p = 0, b = 0;
  SPECS.forEach((s, i) => { if (pick(i, s)) { p++; b += lens[i]; } });
  return [p, b];
}

function find(rows: ConversationRow[], tenant: string | null, a: string): ConversationRow {
  const r = rows.find((x) => x.tenant === tenant && x.a === a);
  if (r === undefined) throw new Error(`no conversation ${tenant} ${a}`);
  return r;
}

const fwd = (s: Spec): boolean => s.layers[1].kind === 'ipv4' && ['10.1.1.1', '192.168.0.1'].includes((s.layers[1] as { src: string }).src);

describe('conversations from the frame index', () => {
  it('inner TCP: one conversation per tenant, A the first source, each direction counted', async () => {
    const { e, lens } = await load();
    const t = ipConversations(e, 'tcp', 'inner');
    expect(t.conversations).toHaveLength(3);
    const p = find(t.conversations, null, '10.1.1.1');
    expect([p.aPort, p.b, p.bPort]).toEqual([40000, '10.1.1.2', 40001]);
    expect([p.packetsAB, p.bytesAB]).toEqual(tally(lens, (_, s) => s.group === 'plain' && fwd(s)));
    expect([p.packetsBA, p.bytesBA]).toEqual(tally(lens, (_, s) => s.group === 'plain' && !fwd(s)));
    expect([p.relStart, p.duration]).toEqual([0, 10]);
    const v300 = find(t.conversations, 'vxlan:300', '10.0.0.1');
    expect([v300.aPort, v300.bPort]).toEqual([40500, 40443]);
    expect([v300.packetsAB, v300.bytesAB]).toEqual(tally(lens, (_, s) => s.group === 'vx300' && fwd(s)));
    expect([v300.packetsBA, v300.bytesBA]).toEqual(tally(lens, (_, s) => s.group === 'vx300' && !fwd(s)));
    expect([v300.relStart, v300.duration]).toEqual([1, 7]);
    expect(find(t.conversations, 'vxlan:301', '10.0.0.1').packets).toBe(1);
    // Endpoints: what each address and port sent and received, per tenant.
    const ep = t.endpoints.find((x) => x.tenant === 'vxlan:300' && x.address === '10.0.0.2');
    expect(ep).toMatchObject({ port: 40443, txPackets: v300.packetsBA, rxPackets: v300.packetsAB, bytes: v300.bytes });
  });

  it('outer UDP: the tunnel ports of each VTEP pair, per tenant; inner UDP: the tenant\'s own', async () => {
    const { e, lens } = await load();
    const outer = ipConversations(e, 'udp', 'outer');
    const rows = outer.conversations.map((r) => [r.tenant, r.a, r.aPort, r.b, r.bPort, r.packets]);
    expect(rows).toEqual(expect.arrayContaining([
      ['vxlan:300', '192.168.0.1', 50000, '192.168.0.2', 4789, tally(lens, (_, s) => s.group === 'vx300' && fwd(s))[0]],
      ['vxlan:300', '192.168.0.2', 50001, '192.168.0.1', 4789, tally(lens, (_, s) => s.group === 'vx300' && !fwd(s))[0]],
      ['vxlan:301', '192.168.0.1', 50000, '192.168.0.2', 4789, 1],
    ]));
    // NVGRE has no UDP underlay, and its inner UDP is not the underlay's.
    expect(outer.conversations).toHaveLength(3);
    const inner = ipConversations(e, 'udp', 'inner');
    expect(inner.conversations.map((r) => [r.tenant, r.a, r.aPort, r.b, r.bPort, r.bytes])).toEqual([
      ['nvgre:5001', '10.0.0.1', 40053, '10.0.0.9', 40054, tally(lens, (_, s) => s.group === 'nv')[1]],
    ]);
  });

  it('outer IPv4: VTEP pairs per tenant and plain traffic as it is; IPv6 has none', async () => {
    const { e, lens } = await load();
    const t = ipConversations(e, 'ipv4', 'outer');
    expect(t.conversations.map((r) => [r.tenant, r.a, r.b, r.packets, r.bytes]).sort()).toEqual([
      [null, '10.1.1.1', '10.1.1.2', ...tally(lens, (_, s) => s.group === 'plain')],
      ['nvgre:5001', '192.168.0.3', '192.168.0.4', ...tally(lens, (_, s) => s.group === 'nv')],
      ['vxlan:300', '192.168.0.1', '192.168.0.2', ...tally(lens, (_, s) => s.group === 'vx300')],
      ['vxlan:301', '192.168.0.1', '192.168.0.2', ...tally(lens, (_, s) => s.group === 'vx301')],
    ].sort());
    expect(ipConversations(e, 'ipv6', 'outer').conversations).toEqual([]);
  });
});

function node(list: HierarchyNode[], ...path: string[]): HierarchyNode {
  let n: HierarchyNode | undefined;
  for (const name of path) {
    n = list.find((x) => x.name === name);
    if (n === undefined) throw new Error(`no ${path.join(' > ')}`);
    list = n.children;
  }
  return n as HierarchyNode;
}

describe('the byte pass: protocol hierarchy and Ethernet conversations', () => {
  it('counts frames and wire bytes along each layer path, whatever the read sizes', async () => {
    const { e, bytes, lens } = await load();
    for (const maxRead of [1, 200, 1 << 20]) {
      const s = await byteStatistics(e, new MemorySource(bytes), { maxRead, maxGap: maxRead });
      expect([s.packets, s.bytes]).toEqual(tally(lens, () => true));
      const h = s.hierarchy;
      expect(h.map((x) => x.name)).toEqual(['eth']);
      expect([node(h, 'eth').packets, node(h, 'eth').bytes]).toEqual(tally(lens, () => true));
      const ptcp = node(h, 'eth', 'ip', 'tcp');
      expect([ptcp.packets, ptcp.bytes]).toEqual(tally(lens, (_, sp) => sp.group === 'plain'));
      const vtcp = node(h, 'eth', 'ip', 'udp', 'vxlan', 'eth', 'ip', 'tcp');
      expect([vtcp.packets, vtcp.bytes]).toEqual(tally(lens, (_, sp) => sp.group.startsWith('vx')));
      // One plain frame has no payload: TCP is its last layer; the others end in data.
      expect([ptcp.endPackets, node(h, 'eth', 'ip', 'tcp', 'data').packets]).toEqual([1, 4]);
      expect(node(h, 'eth', 'arp').packets).toBe(1);
      expect(node(h, 'eth', 'ip', 'gre', 'eth', 'ip', 'udp').packets).toBe(1);
    }
  });

  it('Ethernet conversations: outer link addresses per tenant, inner ones inside the tunnels', async () => {
    const { e, bytes, lens } = await load();
    const s = await byteStatistics(e, new MemorySource(bytes));
    const plainEth = find(s.ethOuter.conversations, null, M1);
    expect(plainEth.b).toBe(M2);
    expect([plainEth.packetsAB, plainEth.packetsBA]).toEqual([tally(lens, (_, sp) => sp.group === 'plain' && fwd(sp))[0], 2]);
    const inner300 = find(s.ethInner.conversations, 'vxlan:300', M3);
    expect([inner300.b, inner300.packetsAB, inner300.packetsBA]).toEqual([M4, 2, 1]);
    expect(s.ethOuter.conversations.some((r) => r.a === M3 || r.b === M3)).toBe(false);
    expect(s.ethOuter.conversations.find((r) => r.b === 'ff:ff:ff:ff:ff:ff')?.packets).toBe(1);
  });
});
