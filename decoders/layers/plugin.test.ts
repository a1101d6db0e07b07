// A protocol added the way README's "Adding a protocol" says, without touching any other file: a made-up
// overlay ("TOY", UDP port 47474, an 8-byte header with a 32-bit tenant id, Ethernet inside) defined and
// registered here only. It must be decoded, described, filterable and shown like the shipped tunnels.
import { describe, expect, it } from 'vitest';
import { buildFrame, eth, ipv4, payload, tcp, udp, type Layer } from '../../scripts/lib/packet-builder.ts';
import { Engine } from '../analysis/engine.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { concat, pcapHeader, pcapRecord } from '../capture/test-bytes.ts';
import { dissect } from '../dissect.ts';
import { resolvePending } from '../filter/runner.ts';
import { ENC_NONE, N_TRUNCATED, newSummary, type Summary, type TreeNode } from '../summary.ts';
import { enterTunnel, L_END, L_ETH, rd32, type DecodeCtx } from './ctx.ts';
import { registerLayer } from './registry.ts';
import { Fields, hex, layerNode } from './tree.ts';

const L_TOY = 200;
const ENC_TOY = 200;
const TOY_HDR = 8;

function decodeToy(b: Uint8Array, c: DecodeCtx, s: Summary): number {
  const p = c.pos;
  if (p + TOY_HDR > c.end) {
    s.notes |= N_TRUNCATED;
    return L_END;
  }
  s.topProto = L_TOY;
  if (s.encap === ENC_NONE) {
    s.encap = ENC_TOY;
    s.vnid = rd32(b, p + 4);
  }
  if (b[p + 1] !== 0x65 || !enterTunnel(c, s)) return L_END;
  c.pos = p + TOY_HDR;
  return L_ETH;
}

function describeToy(b: Uint8Array, p: number, end: number, base: number): TreeNode {
  const f = new Fields(b, base, end);
  f.uint('toy.flags', p, 1, (v) => hex(v, 2));
  f.uint('toy.next', p + 1, 1, (v) => hex(v, 2));
  const id = f.uint('toy.id', p + 4, 4);
  return layerNode(`Toy Overlay, ID: ${id}`, p, Math.min(TOY_HDR, end - p), base, f.kids);
}

registerLayer({
  id: L_TOY,
  name: 'toy',
  column: 'TOY',
  kind: 'tunnel',
  decode: decodeToy,
  describe: (b, p, end, base) => describeToy(b, p, end, base),
  fields: [
    ['toy', 'Toy Overlay', 'protocol'],
    ['toy.flags', 'Flags', 'uint'],
    ['toy.next', 'Next protocol', 'uint'],
    ['toy.id', 'Tenant ID', 'uint'],
  ],
  joins: [{ table: 'udpport', values: [47474] }],
  tunnel: { encap: ENC_TOY, name: 'toy', label: 'TOY', idField: 'toy.id', idBits: 32 },
});

const ID = 0xdeadbeef; // above 2^24 and 2^31: a tenant id only 32 bits hold
const toyHeader = (id: number, next = 0x65): Uint8Array => Uint8Array.of(0x80, next, 0, 0, id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff);
const outer = (): Layer[] => [eth({ src: '00:00:00:00:00:01', dst: '00:00:00:00:00:02' }), ipv4({ src: '192.168.1.1', dst: '192.168.1.2' })];
function toyFrame(id: number, next = 0x65, checksum: 'good' | 'bad' = 'good'): Uint8Array {
  const inner = buildFrame([eth({ src: '00:00:00:00:aa:01', dst: '00:00:00:00:aa:02' }), ipv4({ src: '10.0.0.5', dst: '10.0.0.6' }),
    tcp({ sport: 4000, dport: 80, checksum }), payload(20)]).data;
  return buildFrame([...outer(), udp({ sport: 50000, dport: 47474 }), payload(concat(toyHeader(id, next), next === 0x65 ? inner : new Uint8Array(4)))]).data;
}

describe('a layer registered by its definition alone', () => {
  it('is decoded: tenant, tunnel depth, the checks inside it', () => {
    const f = toyFrame(ID, 0x65, 'bad');
    const s = newSummary();
    dissect(f, 0, f.length, f.length, 1, s);
    expect(s.encap).toBe(ENC_TOY);
    expect(s.vnid).toBe(ID);
    expect(s.depth).toBe(1);
    expect(s.tunPorts).toBe((50000 << 16) | 47474);
    expect(s.badMask).toBe(1 << (6 + 1)); // inner.tcp
  });

  it('is described, filterable and shown', async () => {
    const frames = [toyFrame(ID), toyFrame(7, 0), toyFrame(ID, 0x65, 'bad')];
    const bytes = concat(pcapHeader(), ...frames.map((data, k) => pcapRecord({ sec: 1_700_000_000 + k, frac: 0, data })));
    const e = new Engine();
    await e.load(new MemorySource(bytes), 'toy.pcap');
    // Shown: the Tenant column and the Tenants pane name it by its definition; a frame it ends shows it in
    // the Protocol column.
    const rows = e.rows(0, 3, { tenant: null, sort: null, filter: '' }).rows;
    expect(rows.map((r) => r.tenant)).toEqual(['TOY 3735928559 (0xdeadbeef)', 'TOY 7 (0x000007)', 'TOY 3735928559 (0xdeadbeef)']);
    expect(rows.map((r) => r.protocol)).toEqual(['TCP', 'TOY', 'TCP']);
    expect(e.tenantStats().map((t) => [t.key, t.frames, t.bad])).toEqual([['toy:7', 1, 0], ['toy:3735928559', 2, 1]]);
    // Described.
    const tree = e.detail(1, frames[0]);
    const toy = tree.find((n) => n.field === 'toy');
    expect(toy?.label).toBe('Toy Overlay, ID: 3735928559');
    expect(toy?.children?.find((n) => n.field === 'toy.id')?.raw).toBe(ID);
    // Filterable: its fields by name, through the frame index (tunnel and tenant id) and the bytes (flags).
    const match = async (f: string): Promise<number[]> => {
      const run = e.filters.get(f);
      await resolvePending(e, run, new MemorySource(bytes));
      return [1, 2, 3].filter((n) => run.state[n - 1] === 1);
    };
    expect(await match('toy')).toEqual([1, 2, 3]);
    expect(await match('toy.id == 0xdeadbeef')).toEqual([1, 3]);
    expect(await match('tenant.vnid > 16777216 && tenant.encap == "toy"')).toEqual([1, 3]);
    expect(await match('toy.next == 0x65 && tcp.checksum.status == bad')).toEqual([3]);
    expect(e.filters.get('toy.id == 0xdeadbeef').columnOnly).toBe(true);
  });
});
