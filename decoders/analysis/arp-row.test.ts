// ARP rows of the packet list against tshark 4.0 (-n: MAC addresses unresolved): Protocol, Source,
// Destination and Info of every ARP frame, on generated frames that cover each wording and carrier, and on
// every real capture with ARP in it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  arp, eth, geneve, gre, ipv4, ipv6, payload, udp, vlan, vxlan, type Layer,
} from '../../scripts/lib/packet-builder.ts';
import { buildFrame } from '../../scripts/lib/packet-builder.ts';
import { listSharedCaptures } from '../../scripts/lib/shared-captures.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { writePcapng } from '../capture/pcapng-writer.ts';
import { readArp } from '../layers/arp-row.ts';
import { L_ARP } from '../layers/ids.ts';
import { fillLayerRows, layerColumns } from './layer-rows.ts';
import { Engine } from './engine.ts';
import type { PacketRow } from './rows.ts';

const TSHARK = '/usr/bin/tshark';
const ALL = { tenant: null, sort: null, filter: '' };

/** `protocol | src | dst | info` of tshark's ARP frames (also RARP: same dissector), by frame number. */
function tsharkArp(file: string): Map<number, string> {
  const out = execFileSync(TSHARK, [
    '-n', '-r', file, '-Y', 'arp', '-T', 'fields', '-E', 'separator=\t',
    '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Source', '-e', '_ws.col.Destination', '-e', '_ws.col.Info',
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  const m = new Map<number, string>();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [n, ...cols] = line.split('\t');
    m.set(Number(n), cols.join(' | '));
  }
  return m;
}

async function ourRows(bytes: Uint8Array): Promise<PacketRow[]> {
  const e = new Engine();
  const src = new MemorySource(bytes);
  await e.load(src, 'x');
  const rows = e.rows(0, e.frames, ALL).rows;
  await fillLayerRows(e, rows, src);
  return rows;
}

const line = (r: PacketRow): string => `${r.protocol} | ${r.src} | ${r.dst} | ${r.info}`;
const isArp = (r: PacketRow): boolean => /ARP|MARS|MAPOS/.test(r.protocol);

const A = '00:11:22:33:44:55', B = '00:16:3e:37:f6:04', BCAST = 'ff:ff:ff:ff:ff:ff', ZERO = '00:00:00:00:00:00';
const E = (src: string, dst: string, type?: number) => eth({ src, dst, type });
const outer = (): Layer[] => [E('02:00:00:00:00:01', '02:00:00:00:00:02'), ipv4({ src: '192.168.202.1', dst: '192.168.203.1' })];
/** An ARP message that is not Ethernet/IPv4: header fields and addresses as given. */
function rawArp(hrd: number, pro: number, hln: number, pln: number, op: number, fill: number): Layer {
  const b = new Uint8Array(8 + 2 * (hln + pln));
  b.set([hrd >> 8, hrd & 0xff, pro >> 8, pro & 0xff, hln, pln, op >> 8, op & 0xff]);
  for (let i = 8; i < b.length; i++) b[i] = (fill + i) & 0xff;
  return payload(b);
}

/** Every wording Wireshark has for ARP, on every carrier we decode. */
const GENERATED: Array<[string, Layer[]]> = [
  ['request', [E(A, BCAST), arp({ senderMac: A, senderIp: '192.168.203.5', targetIp: '192.168.203.3' })]],
  ['reply', [E(B, A), arp({ op: 2, senderMac: B, senderIp: '192.168.203.3', targetMac: A, targetIp: '192.168.203.5' })]],
  ['announcement', [E(A, BCAST), arp({ senderMac: A, senderIp: '10.1.1.7', targetIp: '10.1.1.7' })]],
  ['gratuitous request', [E(A, BCAST), arp({ senderMac: A, senderIp: '10.1.1.7', targetMac: BCAST, targetIp: '10.1.1.7' })]],
  ['gratuitous reply', [E(A, BCAST), arp({ op: 2, senderMac: A, senderIp: '10.1.1.7', targetMac: BCAST, targetIp: '10.1.1.7' })]],
  ['probe', [E(A, BCAST), arp({ senderMac: A, senderIp: '0.0.0.0', targetIp: '169.254.3.4' })]],
  ['request with a target MAC', [E(A, B), arp({ senderMac: A, senderIp: '10.0.0.1', targetMac: B, targetIp: '10.0.0.2' })]],
  ['RARP request', [E(A, BCAST, 0x8035), arp({ op: 3, senderMac: A, senderIp: '0.0.0.0', targetMac: A, targetIp: '0.0.0.0' })]],
  ['RARP reply', [E(B, A, 0x8035), arp({ op: 4, senderMac: B, senderIp: '10.0.0.9', targetMac: A, targetIp: '10.0.0.7' })]],
  ['DRARP error', [E(A, B), arp({ op: 7, senderMac: A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' })]],
  ['Inverse ARP request', [E(A, B), arp({ op: 8, senderMac: A, senderIp: '10.0.0.1', targetMac: B, targetIp: '0.0.0.0' })]],
  ['Inverse ARP reply', [E(A, B), arp({ op: 9, senderMac: A, senderIp: '10.0.0.1', targetMac: B, targetIp: '10.0.0.2' })]],
  ['ARP NAK', [E(A, B), arp({ op: 10, senderMac: A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' })]],
  ['MARS join', [E(A, B), arp({ op: 14, senderMac: A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' })]],
  ['MAPOS UNARP', [E(A, B), arp({ op: 23, senderMac: A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' })]],
  ['experimental', [E(A, B), arp({ op: 25, senderMac: A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' })]],
  ['reserved opcode', [E(A, B), arp({ op: 0, senderMac: A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' })]],
  ['unknown opcode', [E(A, B), arp({ op: 300, senderMac: A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' })]],
  ['IEEE 802 hardware, IPv6 protocol', [E(A, B, 0x0806), rawArp(6, 0x86dd, 6, 16, 2, 0x10)]],
  ['other hardware and protocol', [E(A, B, 0x0806), rawArp(0x20, 0x1234, 4, 3, 1, 0x40)]],
  ['empty addresses', [E(A, B, 0x0806), rawArp(1, 0x0800, 0, 0, 2, 0)]],
  ['in 802.1Q', [E(A, BCAST), vlan(100), arp({ senderMac: A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' })]],
  ['in VXLAN', [...outer(), udp({ sport: 42710 }), vxlan(100), E(A, BCAST), arp({ senderMac: A, senderIp: '192.168.203.5', targetIp: '192.168.203.3' })]],
  ['in VXLAN over IPv6', [E('02:00:00:00:00:01', '02:00:00:00:00:02'), ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }), udp({ sport: 1000 }), vxlan(0x123456), E(B, A), arp({ op: 2, senderMac: B, senderIp: '10.0.0.2', targetMac: A, targetIp: '10.0.0.1' })]],
  ['in Geneve, no inner Ethernet', [...outer(), udp({ sport: 12345 }), geneve(1), arp({ senderMac: A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' })]],
  ['in Geneve with Ethernet', [...outer(), udp({ sport: 12345 }), geneve(7), E(A, BCAST), arp({ senderMac: A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' })]],
  ['in GRE', [...outer(), gre(), arp({ senderMac: A, senderIp: '192.168.1.28', targetIp: '0.0.0.0' })]],
  ['in NVGRE', [...outer(), gre({ key: 5001 << 8, protocol: 0x6558 }), E(A, BCAST), arp({ senderMac: A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' })]],
];

describe('ARP rows', () => {
  it('say what the ARP says, from the addresses of the layer that carries it (generated frames, against tshark)', async () => {
    expect(existsSync(TSHARK), `${TSHARK} (apt-get install tshark)`).toBe(true);
    const frames = GENERATED.map(([, layers]) => buildFrame(layers).data);
    const bytes = writePcapng([{ linktype: 1, snaplen: 65535, name: 'eth0' }], frames.map((data, i) => ({ tsSec: 1_700_000_000 + i, tsNsec: 0, data })));
    const dir = mkdtempSync(join(tmpdir(), 'arp-rows-'));
    try {
      const file = join(dir, 'arp.pcapng');
      writeFileSync(file, bytes);
      const ts = tsharkArp(file);
      const rows = await ourRows(bytes);
      const got = rows.map((r) => `${GENERATED[r.n - 1][0]}: ${line(r)}`);
      const want = rows.map((r) => `${GENERATED[r.n - 1][0]}: ${ts.get(r.n) ?? '(not ARP for tshark)'}`);
      expect(got).toEqual(want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('show the inner ARP of a tunnel, keeping the tunnel addresses as the outer columns', async () => {
    const f = buildFrame(GENERATED.find(([name]) => name === 'in VXLAN')?.[1] ?? []).data;
    const [row] = await ourRows(writePcapng([{ linktype: 1, snaplen: 65535 }], [{ tsSec: 1, tsNsec: 0, data: f }]));
    expect(row).toMatchObject({
      protocol: 'ARP', src: A, dst: BCAST, info: 'Who has 192.168.203.3? Tell 192.168.203.5',
      outerSrc: '192.168.202.1', outerDst: '192.168.203.1', tenant: 'VXLAN 100 (0x000064)',
    });
  });

  it('without the bytes, the index alone never calls ARP in a tunnel by the tunnel\'s IP protocol', async () => {
    const f = buildFrame(GENERATED.find(([name]) => name === 'in VXLAN')?.[1] ?? []).data;
    const e = new Engine();
    await e.load(new MemorySource(writePcapng([{ linktype: 1, snaplen: 65535 }], [{ tsSec: 1, tsNsec: 0, data: f }])), 'x');
    expect(e.rows(0, 1, ALL).rows[0]).toMatchObject({ protocol: 'ARP', info: 'ARP' });
  });

  it('keep the index\'s Protocol and Info when the ARP is cut short, with the link addresses as tshark', async () => {
    const layers = GENERATED[0][1];
    const full = buildFrame(layers).data;
    const cut = full.subarray(0, 14 + 20);
    expect(layerColumns(cut, cut.length, full.length, 1, L_ARP)).toEqual({ src: A, dst: BCAST });
    const [row] = await ourRows(writePcapng([{ linktype: 1, snaplen: 34 }], [{ tsSec: 1, tsNsec: 0, data: cut, origlen: full.length }]));
    expect(row).toMatchObject({ protocol: 'ARP', src: A, dst: BCAST, info: 'ARP [truncated]' });
    expect(readArp(full, 14, 14 + 27)).toBeNull();
    expect(readArp(full, 14, 14 + 28)?.info).toBe('Who has 192.168.203.3? Tell 192.168.203.5');
  });

  it('keep the index columns when the bytes cannot be read again', async () => {
    const f = buildFrame(GENERATED[0][1]).data;
    const e = new Engine();
    await e.load(new MemorySource(writePcapng([{ linktype: 1, snaplen: 65535 }], [{ tsSec: 1, tsNsec: 0, data: f }])), 'x');
    const rows = e.rows(0, 1, ALL).rows;
    await fillLayerRows(e, rows, { read: () => Promise.reject(new Error('gone')) });
    expect(rows[0]).toMatchObject({ protocol: 'ARP', src: '', dst: '', info: 'ARP' });
  });

  it('agree with tshark on every real capture with ARP in it', async () => {
    expect(existsSync(TSHARK), `${TSHARK} (apt-get install tshark)`).toBe(true);
    // What tshark calls ARP and we do not decode at all, by file, with the reason; and the other way round.
    const notOurs: Record<string, string> = {
      'tcpdump/erspan-type-i-3.pcap': 'ERSPAN is not decoded',
      'tcpdump/erspan-type-ii-3.pcap': 'ERSPAN is not decoded',
      'tcpdump/ipoib.pcap': 'the IP-over-InfiniBand link type is not decoded',
      'zeek/snap-arp.pcapng': 'ARP in 802.2 LLC/SNAP is not decoded',
    };
    const notTsharks: Record<string, string> = {
      'tcpdump/vxlan_port_8472.pcap': 'VXLAN on port 8472 (Linux) is decoded; tshark only decodes port 4789 unless told',
    };
    const files = listSharedCaptures().filter((c) => /protos: [^|]*\barp\b/.test(c.contents));
    expect(files.length).toBeGreaterThanOrEqual(20);
    const seenNotOurs = new Set<string>(), seenNotTsharks = new Set<string>();
    const mismatches: string[] = [];
    let compared = 0;
    for (const c of files) {
      const ts = tsharkArp(c.path);
      const rows = await ourRows(new Uint8Array(readFileSync(c.path)));
      for (const r of rows) {
        const t = ts.get(r.n);
        if (t === undefined) {
          if (isArp(r)) seenNotTsharks.add(c.rel);
          continue;
        }
        if (!isArp(r)) {
          seenNotOurs.add(c.rel);
          continue;
        }
        compared++;
        // tshark adds what it learnt from earlier frames (duplicate address detection): not a per-frame fact.
        let want = t.replace(/ \(duplicate use of [^)]* detected!\)$/, '');
        // An ARP cut short: tshark says "[Malformed Packet]" or "[Packet size limited …]", we keep "ARP [truncated]".
        if (/ \[truncated\]$/.test(r.info)) want = want.replace(/\| \[(Malformed Packet|Packet size limited[^\]]*)\]$/, `| ${r.info}`);
        if (line(r) !== want) mismatches.push(`${c.rel}#${r.n}: ours "${line(r)}", tshark "${want}"`);
      }
    }
    expect(mismatches).toEqual([]);
    expect([...seenNotOurs].sort()).toEqual(Object.keys(notOurs).sort());
    expect([...seenNotTsharks].sort()).toEqual(Object.keys(notTsharks).sort());
    expect(compared).toBeGreaterThanOrEqual(90); // 94 ARP frames in 19 files when written
  }, 120_000);
});
