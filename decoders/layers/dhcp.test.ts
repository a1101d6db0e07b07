// DHCP and BOOTP: message types, options as Wireshark's dhcp.* fields, the DHCP/BOOTP Protocol column and the
// Info wording, against tshark 4.0 on generated messages.
import { describe, expect, it } from 'vitest';
import { ascii, dhcpMessage, overUdp, rdA } from '../../scripts/lib/app-payloads.ts';
import { framesCapture, ourMatches, ourRows, tsharkColumns, tsharkMatches, withFile } from '../../scripts/lib/tshark-rows.ts';
import { dissect } from '../dissect.ts';
import { newSummary } from '../summary.ts';
import { L_DHCP } from './ids.ts';

const MAC = '00:0b:82:01:fc:42';
const client = (m: Uint8Array) => overUdp(68, 67, m, { src: '0.0.0.0', dst: '255.255.255.255' });
const server = (m: Uint8Array) => overUdp(67, 68, m, { src: '192.168.0.1', dst: '255.255.255.255' });
const discover = dhcpMessage({
  op: 1, xid: 0x3d1d, chaddr: MAC, type: 1, flags: 0x8000,
  options: [[61, [1, 0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42]], [12, ascii('Bichman')], [60, ascii('MSFT 5.0')], [55, [1, 3, 6, 15, 252]]],
});
const offer = dhcpMessage({
  op: 2, xid: 0x3d1d, chaddr: MAC, type: 2, yiaddr: '192.168.0.10',
  options: [[1, rdA('255.255.255.0')], [3, rdA('192.168.0.1')], [6, [...rdA('192.168.0.1'), ...rdA('8.8.8.8')]], [51, [0, 0, 0x0e, 0x10]], [54, rdA('192.168.0.1')]],
});
const FRAMES: Array<[string, Uint8Array | { data: Uint8Array; origlen: number }]> = [
  ['discover', client(discover)],
  ['offer', server(offer)],
  ['request', client(dhcpMessage({ op: 1, xid: 0x3d1e, chaddr: MAC, type: 3, options: [[50, rdA('192.168.0.10')], [54, rdA('192.168.0.1')]] }))],
  ['ack', server(dhcpMessage({ op: 2, xid: 0x3d1e, chaddr: MAC, type: 5, yiaddr: '192.168.0.10' }))],
  ['nak', server(dhcpMessage({ op: 2, xid: 0x77, chaddr: MAC, type: 6, options: [[56, ascii('wrong network')]] }))],
  ['release', client(dhcpMessage({ op: 1, xid: 0x1234abcd, chaddr: MAC, type: 7 }))],
  ['inform', client(dhcpMessage({ op: 1, xid: 9, chaddr: MAC, type: 8 }))],
  ['unknown type', client(dhcpMessage({ op: 1, xid: 0xc979b960, chaddr: MAC, type: 0x6a }))],
  ['BOOTP request', client(dhcpMessage({ op: 1, xid: 0x42, chaddr: MAC }))],
  ['BOOTP reply', server(dhcpMessage({ op: 2, xid: 0x42, chaddr: MAC, yiaddr: '192.168.0.20' }))],
  ['in VXLAN', overUdp(68, 67, discover, { tunnel: 'vxlan' })],
  ['captured short', { data: server(offer).subarray(0, 14 + 20 + 8 + 250), origlen: server(offer).length }],
];

describe('DHCP', () => {
  it('is its own layer on UDP 67/68', () => {
    const s = newSummary();
    const f = client(discover);
    dissect(f, 0, f.length, f.length, 1, s);
    expect(s.topProto).toBe(L_DHCP);
  });

  it('Protocol, Info and filters agree with tshark', async () => {
    const bytes = framesCapture(FRAMES.map(([, f]) => f));
    const rows = await ourRows(bytes);
    const got = rows.map((r) => `${FRAMES[r.n - 1][0]}: ${r.protocol} | ${r.info}`);
    expect(got.slice(0, 2)).toEqual([
      'discover: DHCP | DHCP Discover - Transaction ID 0x3d1d',
      'offer: DHCP | DHCP Offer    - Transaction ID 0x3d1d',
    ]);
    expect(got[8]).toBe(`BOOTP request: BOOTP | Boot Request from ${MAC} (${MAC})`);
    const filters = [
      'dhcp', 'dhcp.option.dhcp == 1', 'dhcp.option.dhcp == 5', 'dhcp.type == 2', 'dhcp.hw.mac_addr == 00:0b:82:01:fc:42',
      'dhcp.id == 0x3d1e', 'dhcp.flags.bc == 1', 'dhcp.ip.your == 192.168.0.10', 'dhcp.option.hostname == "Bichman"',
      'dhcp.option.vendor_class_id contains "MSFT"', 'dhcp.option.request_list_item == 252', 'dhcp.option.requested_ip_address',
      'dhcp.option.router == 192.168.0.1', 'dhcp.option.domain_name_server == 8.8.8.8', 'dhcp.option.subnet_mask',
      'dhcp.option.ip_address_lease_time == 3600', 'dhcp.option.dhcp_server_id', 'dhcp.option.message contains "wrong"',
      'dhcp.option.type == 61', 'not dhcp.option.dhcp and dhcp', 'vxlan && dhcp',
    ];
    await withFile(bytes, async (path) => {
      const ts = tsharkColumns(path);
      // tshark writes the capture's cut without a space; ours is the app's note.
      expect(got).toEqual(rows.map((r) => `${FRAMES[r.n - 1][0]}: ${(ts.get(r.n) ?? '').replace('[Packet size limited during capture]', ' [truncated]')}`));
      for (const f of filters) {
        const theirs = [...tsharkMatches(path, f)];
        expect(theirs.length, f).toBeGreaterThan(0);
        expect([...(await ourMatches(bytes, f))], f).toEqual(theirs);
      }
    });
  }, 60_000);
});
