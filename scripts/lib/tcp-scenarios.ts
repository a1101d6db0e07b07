// TCP conversations that exercise each kind of TCP analysis, with the frames each kind must flag (frame
// numbers count from 1 in the scenario's capture). decoders/analysis/tcp-analysis.test.ts checks our
// analysis against the expectations; tcp-analysis-tshark.test.ts checks the same captures against tshark.

import { handshake, type Conversation, type Segment, type Tunnel } from './tcp-conversation.ts';

export interface TcpScenario {
  name: string;
  convs: Conversation[];
  /** Frame number -> the tcp.analysis.* fields (without the prefix) it must have; every other frame has none. */
  expect: Record<number, string[]>;
}

const hs = handshake(undefined, 10); // frames 1-3; round trip 10 ms (out-of-order window)
const data = (from: 'c' | 's', seq: number, ack: number, len: number, ms: number, extra: Partial<Segment> = {}): Segment => ({ from, seq, ack, flags: 'PA', len, ms, ...extra });
const ackOf = (from: 'c' | 's', seq: number, ack: number, ms: number, extra: Partial<Segment> = {}): Segment => ({ from, seq, ack, ms, ...extra });

export const TCP_SCENARIOS: TcpScenario[] = [
  {
    name: 'retransmission',
    convs: [{ segments: [...hs, data('c', 1, 1, 100, 20), data('c', 101, 1, 100, 21), data('c', 101, 1, 100, 400)] }],
    expect: { 6: ['retransmission'] },
  },
  {
    name: 'fast retransmission after duplicate ACKs',
    convs: [{
      segments: [...hs, data('c', 1, 1, 100, 20), data('c', 101, 1, 100, 21), data('c', 201, 1, 100, 22),
        ackOf('s', 1, 101, 30), ackOf('s', 1, 101, 31), ackOf('s', 1, 101, 32), ackOf('s', 1, 101, 33),
        data('c', 101, 1, 100, 35), ackOf('s', 1, 301, 40)],
    }],
    expect: { 8: ['duplicate_ack'], 9: ['duplicate_ack'], 10: ['duplicate_ack'], 11: ['fast_retransmission', 'retransmission'] },
  },
  {
    name: 'spurious retransmission of acknowledged data',
    convs: [{ segments: [...hs, data('c', 1, 1, 100, 20), ackOf('s', 1, 101, 30), data('c', 1, 1, 100, 300)] }],
    expect: { 6: ['spurious_retransmission', 'retransmission'] },
  },
  {
    name: 'out-of-order within the round trip, previous segment not captured',
    convs: [{ segments: [...hs, data('c', 1, 1, 100, 20), data('c', 201, 1, 100, 21), data('c', 101, 1, 100, 22)] }],
    expect: { 5: ['lost_segment'], 6: ['out_of_order'] },
  },
  {
    name: 'ACKed segment that was not captured, flagged once',
    convs: [{ segments: [...hs, data('c', 1, 1, 100, 20), ackOf('s', 1, 301, 21), ackOf('s', 1, 401, 22), ackOf('s', 1, 401, 23)] }],
    expect: { 5: ['ack_lost_segment'], 7: ['duplicate_ack'] },
  },
  {
    name: 'zero window, probe, probe ACK, window update',
    convs: [{
      segments: [...hs, data('c', 1, 1, 100, 20), ackOf('s', 1, 101, 21, { win: 0 }), data('c', 101, 1, 1, 30),
        ackOf('s', 1, 101, 31, { win: 0 }), ackOf('s', 1, 101, 40, { win: 8000 })],
    }],
    expect: { 5: ['zero_window'], 6: ['zero_window_probe'], 7: ['zero_window_probe_ack', 'zero_window'], 8: ['window_update'] },
  },
  {
    name: 'keep-alive and its ACK',
    convs: [{ segments: [...hs, data('c', 1, 1, 100, 20), ackOf('s', 1, 101, 21), ackOf('c', 100, 1, 5000), ackOf('s', 1, 101, 5001)] }],
    expect: { 6: ['keep_alive'], 7: ['keep_alive_ack'] },
  },
  {
    name: 'window full with window scaling',
    convs: [{
      segments: [...handshake(2, 10), ackOf('s', 1, 1, 11, { win: 50 }), data('c', 1, 1, 200, 20), ackOf('s', 1, 201, 25, { win: 100 }),
        data('c', 201, 1, 400, 30)],
    }],
    expect: { 4: ['window_update'], 5: ['window_full'], 7: ['window_full'] },
  },
  {
    name: 'port numbers reused by a new connection',
    convs: [
      { segments: [...hs, { from: 'c', seq: 1, ack: 1, flags: 'FA', ms: 20 }, { from: 's', seq: 1, ack: 2, flags: 'FA', ms: 21 }, ackOf('c', 2, 2, 22)] },
      { segments: [...hs, data('c', 1, 1, 50, 20)], endpoints: { client: '10.0.0.1', server: '10.0.0.2', cport: 40000, sport: 443, ciss: 777777, siss: 888888 }, startMs: 1000 },
    ],
    expect: { 7: ['reused_ports'] },
  },
  {
    name: 'retransmitted SYN',
    convs: [{ segments: [{ from: 'c', seq: 0, flags: 'S', ms: 0 }, { from: 'c', seq: 0, flags: 'S', ms: 1000 }, { from: 's', seq: 0, ack: 1, flags: 'SA', ms: 1001 }, ackOf('c', 1, 1, 1002)] }],
    expect: { 2: ['retransmission'] },
  },
];

const vx: Tunnel = { kind: 'vxlan', id: 300, chost: '192.168.10.11', shost: '192.168.10.12' };
const nv: Tunnel = { kind: 'nvgre', id: 5001, chost: '192.168.20.21', shost: '192.168.20.22' };

/** Tenant VXLAN 300: four bad segments, three sent again 100, 140 and 139 ms later, one accepted (ACKed). */
const tenantA: Segment[] = [...handshake(undefined, 2),
  { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 100, ms: 10, checksum: 'bad' }, // 4
  { from: 'c', seq: 101, ack: 1, flags: 'PA', len: 100, ms: 11 },
  { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 100, ms: 110 }, // 6: 100 ms
  { from: 's', seq: 1, ack: 201, ms: 111 },
  { from: 'c', seq: 201, ack: 1, flags: 'PA', len: 100, ms: 120, checksum: 'bad' }, // 8
  { from: 'c', seq: 301, ack: 1, flags: 'PA', len: 100, ms: 121, checksum: 'bad' }, // 9
  // One segment carries both again (repacketized): 140 ms after 8, 139 ms after 9.
  { from: 'c', seq: 201, ack: 1, flags: 'PA', len: 200, ms: 260 }, // 10
  { from: 's', seq: 1, ack: 401, ms: 261 },
  { from: 'c', seq: 401, ack: 1, flags: 'PA', len: 100, ms: 270, checksum: 'bad' }, // 12: accepted
  { from: 's', seq: 1, ack: 501, ms: 271 },
  // A pure ACK with a bad checksum occupies no sequence space: not a segment to send again.
  { from: 's', seq: 1, ack: 501, ms: 272, checksum: 'bad' },
  // Sent again after it was acknowledged (a spurious retransmission): not what the bad checksum cost.
  { from: 'c', seq: 401, ack: 1, flags: 'PA', len: 100, ms: 600 },
];

/** Tenant NVGRE 5001, another host: one bad segment sent again 50 ms later, and a bad SYN sent again. */
const tenantB: Segment[] = [
  { from: 'c', seq: 0, flags: 'S', ms: 0, checksum: 'bad' }, { from: 'c', seq: 0, flags: 'S', ms: 1000 },
  { from: 's', seq: 0, ack: 1, flags: 'SA', ms: 1001 }, { from: 'c', seq: 1, ack: 1, ms: 1002 },
  { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 10, ms: 1010, checksum: 'bad' }, { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 10, ms: 1060 },
];

/** Plain TCP from 10.7.0.1: one bad segment never sent again (the capture ends). */
const plain: Segment[] = [...handshake(undefined, 2), { from: 'c', seq: 1, ack: 1, flags: 'PA', len: 10, ms: 5, checksum: 'bad' }];

/**
 * Bad checksums and what they cost: VXLAN 300 (host 192.168.10.11) 3 of 4 bad segments retransmitted (100, 139
 * and 140 ms later), NVGRE 5001 (host 192.168.20.21) 2 of 2 (1000 and 50 ms), plain 10.7.0.1 0 of 1.
 */
export const BAD_CHECKSUM_CONVS: Conversation[] = [
  { segments: tenantA, tunnel: vx },
  { segments: tenantB, tunnel: nv, startMs: 5000 },
  { segments: plain, endpoints: { client: '10.7.0.1', server: '10.7.0.2', cport: 1111, sport: 22, ciss: 10, siss: 20 }, startMs: 9000 },
];

