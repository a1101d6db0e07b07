// DHCPv6: messages and relayed messages, options as Wireshark's dhcpv6.* fields, Protocol/Info as tshark 4.0.
import { describe, expect, it } from 'vitest';
import { dhcpv6Message, dhcpv6Option, dhcpv6Relay, overUdp, rdAaaa } from '../../scripts/lib/app-payloads.ts';
import { framesCapture, ourMatches, ourRows, tsharkColumns, tsharkMatches, withFile } from '../../scripts/lib/tshark-rows.ts';
import { dissect } from '../dissect.ts';
import { newSummary } from '../summary.ts';
import { L_DHCPV6 } from './ids.ts';

const duid = [0, 3, 0, 1, 0x02, 0xde, 0xad, 0xbe, 0xef, 0x01];
const clientId = dhcpv6Option(1, duid);
const serverId = dhcpv6Option(2, [0, 1, 0, 1, 0x2a, 0xab, 0xbc, 0xcd, 0xd0, 0x01, 0x12, 0x23, 0x34, 0x45]);
const iaNa = (addr?: string) => dhcpv6Option(3, [0, 0, 0, 1, 0, 0, 0x0e, 0x10, 0, 0, 0x15, 0x18,
  ...(addr !== undefined ? dhcpv6Option(5, [...rdAaaa(addr), 0, 0, 0x1c, 0x20, 0, 0, 0x2a, 0x30]) : [])]);
const solicit = dhcpv6Message(1, 0xabcdef, [clientId, dhcpv6Option(8, [0, 0]), iaNa(), dhcpv6Option(6, [0, 23, 0, 24])]);
const advertise = dhcpv6Message(2, 0xabcdef, [clientId, serverId, iaNa('2001:db8::100'), dhcpv6Option(23, rdAaaa('2001:db8::53'))]);
const c2s = (m: Uint8Array, o = {}) => overUdp(546, 547, m, { v6: true, src: 'fe80::1', dst: 'ff02::1:2', ...o });
const s2c = (m: Uint8Array) => overUdp(547, 546, m, { v6: true, src: 'fe80::2', dst: 'fe80::1' });
const FRAMES: Array<[string, Uint8Array]> = [
  ['solicit', c2s(solicit)],
  ['advertise', s2c(advertise)],
  ['request', c2s(dhcpv6Message(3, 0x000102, [clientId, serverId, iaNa('2001:db8::100')]))],
  ['reply with status', s2c(dhcpv6Message(7, 0x000102, [clientId, serverId, dhcpv6Option(13, [0, 0, 0x4f, 0x4b])]))],
  ['information-request', c2s(dhcpv6Message(11, 0x5, [dhcpv6Option(6, [0, 23])]))],
  ['relay-forw', overUdp(547, 547, dhcpv6Relay(12, '2001:db8:dc::1', 'fe80::1', solicit), { v6: true, src: '2001:db8:dc::1', dst: '2001:db8::2' })],
  ['relay-reply', overUdp(547, 547, dhcpv6Relay(13, '2001:db8:dc::1', 'fe80::1', advertise), { v6: true, src: '2001:db8::2', dst: '2001:db8:dc::1' })],
  ['in Geneve', c2s(solicit, { tunnel: 'geneve' })],
];

describe('DHCPv6', () => {
  it('is its own layer on UDP 546/547', () => {
    const s = newSummary();
    const f = FRAMES[0][1];
    dissect(f, 0, f.length, f.length, 1, s);
    expect(s.topProto).toBe(L_DHCPV6);
  });

  it('Protocol, Info and filters agree with tshark', async () => {
    const bytes = framesCapture(FRAMES.map(([, f]) => f));
    const rows = await ourRows(bytes);
    const got = rows.map((r) => `${FRAMES[r.n - 1][0]}: ${r.protocol} | ${r.info}`);
    expect(got[0]).toBe('solicit: DHCPv6 | Solicit XID: 0xabcdef CID: 0003000102deadbeef01 ');
    expect(got[5]).toBe('relay-forw: DHCPv6 | Relay-forw L: 2001:db8:dc::1 Solicit XID: 0xabcdef CID: 0003000102deadbeef01 ');
    const filters = [
      'dhcpv6', 'dhcpv6.msgtype == 1', 'dhcpv6.msgtype == 12', 'dhcpv6.xid == 0xabcdef', 'dhcpv6.linkaddr == 2001:db8:dc::1',
      'dhcpv6.option.type == 3', 'dhcpv6.iaaddr.ip == 2001:db8::100', 'dhcpv6.dns_server', 'dhcpv6.status_code == 0',
      'dhcpv6.duid.type == 3', 'dhcpv6.requested_option_code == 24', 'dhcpv6.elapsed_time == 0', 'geneve && dhcpv6',
    ];
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
