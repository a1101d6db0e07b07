// Application messages mutated at random (bit flips, cuts, bytes overwritten with extremes, random bytes) with
// a fixed seed: the decode, the details and the packet-list columns of every one must answer without
// throwing (a pointer loop, a length past the end, a nesting without end are bounded).
import { mulberry32 } from '../../scripts/lib/rng.ts';
import { describe, expect, it } from 'vitest';
import {
  QR, ascii, clientHello, dhcpMessage, dhcpv6Message, dhcpv6Option, dhcpv6Relay, dnsMessage, dnsName, dnsOverTcp, netbiosName,
  overTcp, overUdp, rdA, serverHello, tlsRecord,
} from '../../scripts/lib/app-payloads.ts';
import { layerColumns } from '../analysis/layer-rows.ts';
import { detail, dissect } from '../dissect.ts';
import { newSummary } from '../summary.ts';

const SEEDS: Array<[string, 'udp' | 'tcp', number, Uint8Array]> = [
  ['dns', 'udp', 53, dnsMessage({ id: 1, flags: QR, qd: [{ name: 'a.example', type: 1 }], an: [{ name: [0xc0, 12], type: 5, rdata: dnsName('b.example') }, { name: [0xc0, 12], type: 1, rdata: rdA('10.0.0.1') }] })],
  ['dns over tcp', 'tcp', 53, dnsOverTcp(dnsMessage({ id: 2, flags: 0, qd: [{ name: 'x.example', type: 28 }] }))],
  ['mdns', 'udp', 5353, dnsMessage({ id: 0, flags: QR, an: [{ name: 'p.local', type: 1, cls: 0x8001, rdata: rdA('10.0.0.2') }] })],
  ['nbns', 'udp', 137, dnsMessage({ id: 3, flags: 0x0110, qd: [{ name: netbiosName('WPAD', 0), type: 32 }] })],
  ['dhcp', 'udp', 67, dhcpMessage({ op: 1, xid: 4, chaddr: '00:11:22:33:44:55', type: 1, options: [[12, ascii('host')], [55, [1, 3, 6]]] })],
  ['dhcpv6', 'udp', 547, dhcpv6Relay(12, '2001:db8::1', 'fe80::1', dhcpv6Message(1, 5, [dhcpv6Option(1, [0, 3, 0, 1, 1, 2, 3, 4, 5, 6])]))],
  ['http', 'tcp', 80, Uint8Array.from(ascii('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello'))],
  ['tls', 'tcp', 443, Uint8Array.from([...tlsRecord(22, 0x0301, clientHello({ sni: 'a.example', alpn: ['h2'], versions: [0x0304] })), ...tlsRecord(22, 0x0303, serverHello({ versions: [0x0304] }))])],
];

function mutate(orig: Uint8Array, rnd: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rnd() * n);
  const b = orig.slice();
  switch (pick(4)) {
    case 0: return b.subarray(0, pick(b.length + 1));
    case 1: for (let i = 1 + pick(8); i > 0; i--) b[pick(b.length)] ^= 1 << pick(8); return b;
    case 2: for (let i = 1 + pick(4); i > 0; i--) b[pick(b.length)] = [0, 0xc0, 0xff, 0x3f, 0x41, 0x7f][pick(6)]; return b;
    default: for (let i = pick(b.length); i < b.length; i++) b[i] = pick(256); return b;
  }
}

describe('application layers on mutated messages', () => {
  it('decode, describe and write their columns without throwing', () => {
    const rnd = mulberry32(20251206);
    const s = newSummary();
    let done = 0, written = 0;
    for (const [name, transport, port, seed] of SEEDS) {
      for (let k = 0; k < 1500; k++) {
        const m = mutate(seed, rnd);
        const f = transport === 'udp' ? overUdp(40000 + k, port, m) : overTcp(40000 + k, port, m);
        const caplen = rnd() < 0.2 ? Math.floor(rnd() * f.length) : f.length;
        const what = `${name} #${k}`;
        expect(() => {
          dissect(f, 0, caplen, f.length, 1, s);
          detail(f, 0, caplen, f.length, 1);
          if (layerColumns(f, caplen, f.length, 1, s.topProto) !== null) written++;
        }, what).not.toThrow();
        done++;
      }
    }
    expect(done).toBe(SEEDS.length * 1500);
    // Most mutants still reach their layer, which writes its columns: the parsers did run on them.
    expect(written).toBeGreaterThan(done / 2);
  }, 120_000);
});
