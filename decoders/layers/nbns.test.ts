// NBNS: NetBIOS names decoded from RFC 1001's first-level encoding, Protocol/Info and filters as tshark 4.0.
import { describe, expect, it } from 'vitest';
import { QR, dnsMessage, netbiosName, overUdp } from '../../scripts/lib/app-payloads.ts';
import { framesCapture, ourMatches, ourRows, tsharkColumns, tsharkMatches, withFile } from '../../scripts/lib/tshark-rows.ts';
import { dissect } from '../dissect.ts';
import { newSummary } from '../summary.ts';
import { L_NBNS } from './ids.ts';

const nb = (addr: number[]) => [0, 0, ...addr];
const FRAMES: Array<[string, Uint8Array]> = [
  ['name query', overUdp(137, 137, dnsMessage({ id: 0x8001, flags: 0x0110, qd: [{ name: netbiosName('WPAD', 0x00), type: 32 }] }), { dst: '10.0.0.255' })],
  ['query in VXLAN', overUdp(137, 137, dnsMessage({ id: 0x8002, flags: 0x0110, qd: [{ name: netbiosName('WORKGROUP', 0x1b), type: 32 }] }), { tunnel: 'vxlan' })],
  ['positive response', overUdp(137, 137, dnsMessage({
    id: 0x8001, flags: QR | 0x0500, an: [{ name: netbiosName('WPAD', 0x00), type: 32, ttl: 300000, rdata: nb([10, 20, 8, 77]) }],
  }))],
  ['registration', overUdp(137, 137, dnsMessage({
    id: 0x8003, flags: 5 << 11 | 0x0110, qd: [{ name: netbiosName('HOST-7', 0x20), type: 32 }],
    ar: [{ name: [0xc0, 12], type: 32, ttl: 300000, rdata: nb([10, 0, 0, 7]) }],
  }))],
  ['status query', overUdp(137, 137, dnsMessage({ id: 0x8004, flags: 0, qd: [{ name: netbiosName('*', 0x00).map((c, i) => (i >= 3 && i < 33 && c === 0x43 ? 0x41 : c)), type: 33 }] }))],
  ['illegal encoding', overUdp(137, 137, dnsMessage({ id: 0x8005, flags: 0x0110, qd: [{ name: [32, ...new Array(32).fill(0x61), 0], type: 32 }] }))],
];

describe('NBNS', () => {
  it('is its own layer on UDP 137', () => {
    const s = newSummary();
    const f = FRAMES[0][1];
    dissect(f, 0, f.length, f.length, 1, s);
    expect(s.topProto).toBe(L_NBNS);
  });

  it('Protocol, Info and filters agree with tshark', async () => {
    const bytes = framesCapture(FRAMES.map(([, f]) => f));
    const rows = await ourRows(bytes);
    const got = rows.map((r) => `${FRAMES[r.n - 1][0]}: ${r.protocol} | ${r.info}`);
    expect(got.slice(0, 3)).toEqual([
      'name query: NBNS | Name query NB WPAD<00>',
      'query in VXLAN: NBNS | Name query NB WORKGROUP<1b>',
      'positive response: NBNS | Name query response NB 10.20.8.77',
    ]);
    const filters = ['nbns', 'nbns.flags.response == 1', 'nbns.name == "WPAD<00>"', 'nbns.name contains "Workstation"', 'nbns.name contains "Server service"', 'nbns.type == 33', 'nbns.addr == 10.20.8.77', 'nbns.flags.opcode == 5', 'nbns.flags.broadcast'];
    await withFile(bytes, async (path) => {
      const ts = tsharkColumns(path);
      expect(got).toEqual(rows.map((r) => `${FRAMES[r.n - 1][0]}: ${ts.get(r.n)}`));
      for (const f of filters) {
        const theirs = [...tsharkMatches(path, f)];
        expect(theirs.length, f).toBeGreaterThan(0);
        expect([...(await ourMatches(bytes, f))], f).toEqual(theirs);
      }
    });
  }, 60_000);
});
