// The column tier with application layers on top: a frame whose highest layer is DNS, HTTP, TLS, ... is still
// a UDP or TCP frame (its transport, ports and inner IP stay index fields), the presence of an application
// layer is its highest layer's id, and a field of one can only be in a frame whose highest layer is an
// application layer (the bytes decide those frames only). Whatever the tier, the answer is the bytes'.
import { describe, expect, it } from 'vitest';
import { QR, RD, ascii, clientHello, dnsMessage, overTcp, overUdp, rdA, tlsRecord } from '../../scripts/lib/app-payloads.ts';
import { Engine } from '../analysis/engine.ts';
import { MemorySource } from '../capture/memory-source.ts';
import { framesCapture } from '../../scripts/lib/tshark-rows.ts';
import { PENDING } from './runner.ts';

const query = dnsMessage({ id: 1, flags: RD, qd: [{ name: 'a.example', type: 1 }] });
const answer = dnsMessage({ id: 1, flags: QR | RD, qd: [{ name: 'a.example', type: 1 }], an: [{ name: 'a.example', type: 1, rdata: rdA('10.1.1.1') }] });
const FRAMES: Array<[string, Uint8Array]> = [
  ['dns', overUdp(50000, 53, query)],
  ['dns in vxlan', overUdp(53, 50001, answer, { tunnel: 'vxlan', src: '10.9.0.1', dst: '10.9.0.2' })],
  ['http', overTcp(50002, 80, ascii('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))],
  ['http in nvgre', overTcp(80, 50003, ascii('HTTP/1.1 204 No Content\r\n\r\n'), { tunnel: 'nvgre', src: '10.9.0.3', dst: '10.9.0.4' })],
  ['tls', overTcp(50004, 443, tlsRecord(22, 0x0301, clientHello({ sni: 'x.example' })))],
  ['plain udp', overUdp(50005, 9999, [1, 2, 3])],
  ['plain tcp', overTcp(50006, 9999, [1, 2, 3])],
  ['tcp on 80, not http', overTcp(50007, 80, ascii('no request line'))],
];

async function load(): Promise<{ e: Engine; bytes: Uint8Array }> {
  const bytes = framesCapture(FRAMES.map(([, f]) => f));
  const e = new Engine();
  await e.load(new MemorySource(bytes), 'apps.pcapng');
  return { e, bytes };
}
const loaded = load();

/** The frames a filter selects, how many the column tier left to the bytes, and a check against the bytes alone. */
async function run(filter: string): Promise<{ names: string[]; pending: number }> {
  const { e, bytes } = await loaded;
  const r = e.filters.get(filter);
  r.update();
  const pending = r.pending;
  const st = e.store;
  const names: string[] = [];
  for (let i = 0; i < st.count; i++) {
    const fromBytes = r.test(i, bytes.subarray(st.offset[i], st.offset[i] + st.caplen[i]));
    if (r.state[i] !== PENDING) expect(r.state[i] === 1, `${filter} on ${FRAMES[i][0]}`).toBe(fromBytes);
    if (fromBytes) names.push(FRAMES[i][0]);
  }
  return { names, pending };
}

describe('display filters over application layers', () => {
  it('a DNS/HTTP/TLS frame is still its transport\'s, its ports and its inner addresses the index\'s', async () => {
    expect(await run('udp')).toEqual({ names: ['dns', 'dns in vxlan', 'plain udp'], pending: 0 });
    expect(await run('tcp.port == 80')).toEqual({ names: ['http', 'http in nvgre', 'tcp on 80, not http'], pending: 0 });
    expect(await run('tcp.dstport == 443')).toEqual({ names: ['tls'], pending: 0 });
    expect(await run('ip.src == 10.9.0.0/16')).toEqual({ names: ['dns in vxlan', 'http in nvgre'], pending: 0 });
  });

  it('an application protocol\'s presence is the highest layer\'s id', async () => {
    expect(await run('dns')).toEqual({ names: ['dns', 'dns in vxlan'], pending: 0 });
    expect(await run('http')).toEqual({ names: ['http', 'http in nvgre'], pending: 0 });
    expect(await run('tls || dns')).toEqual({ names: ['dns', 'dns in vxlan', 'tls'], pending: 0 });
    expect(await run('!http && tcp')).toEqual({ names: ['tls', 'plain tcp', 'tcp on 80, not http'], pending: 0 });
  });

  it('its other fields are read from the bytes of application frames only', async () => {
    expect(await run('dns.a == 10.1.1.1')).toEqual({ names: ['dns in vxlan'], pending: 5 });
    expect(await run('http.request')).toEqual({ names: ['http'], pending: 5 });
    expect(await run('tls.handshake.extensions_server_name contains "x"')).toEqual({ names: ['tls'], pending: 5 });
    // count() is 0 where the field is not: no shortcut for it.
    expect((await run('count(dns.qry.name) == 0')).pending).toBe(FRAMES.length);
  });
});
