// Services named by their port: the Protocol column and the presence filter as tshark 4.0 writes and matches
// them for any payload (text and binary) on the service's port; Info keeps the transport's ports.
import { describe, expect, it } from 'vitest';
import { ascii, overTcp, overUdp } from '../../scripts/lib/app-payloads.ts';
import { framesCapture, ourMatches, ourRows, tsharkColumns, tsharkMatches, withFile } from '../../scripts/lib/tshark-rows.ts';
import { dissect } from '../dissect.ts';
import { newSummary } from '../summary.ts';
import { L_NTP, L_SSH, L_TCP } from './ids.ts';
import { layerDefs } from './registry.ts';

const TEXT = ascii('hello world test payload 12345\r\n');
const BINARY = Uint8Array.from({ length: 48 }, (_, i) => (i * 37 + 11) & 0xff);
const services = layerDefs().filter((d) => d.decode?.toString().includes('decodeService'));

describe('services named by their port', () => {
  it('name a payload on their port, not an empty segment', () => {
    const s = newSummary();
    const top = (f: Uint8Array) => { dissect(f, 0, f.length, f.length, 1, s); return s.topProto; };
    expect(top(overTcp(50000, 22, TEXT))).toBe(L_SSH);
    expect(top(overUdp(50000, 123, BINARY))).toBe(L_NTP);
    expect(top(overTcp(50000, 22, []))).toBe(L_TCP);
    expect(services.length).toBeGreaterThanOrEqual(20);
  });

  it('the Protocol column and the presence filter agree with tshark, whatever the payload', async () => {
    const frames: Uint8Array[] = [];
    const what: string[] = [];
    let port = 42000;
    for (const d of services) {
      for (const j of d.joins ?? []) {
        for (const payload of [TEXT, BINARY]) {
          frames.push(j.table === 'tcpport' ? overTcp(++port, j.values[0], payload) : overUdp(++port, j.values[0], payload));
          what.push(`${d.name} ${j.table} ${j.values[0]}`);
        }
      }
    }
    // A NetBIOS session carrying SMB: the version its header says.
    const smb2 = [0xfe, 0x53, 0x4d, 0x42, 64, 0, ...new Array(58).fill(0)];
    const smb1 = [0xff, 0x53, 0x4d, 0x42, 0x72, ...new Array(27).fill(0), 0, 0, 0];
    for (const [v, h] of [['SMB2', smb2], ['SMB', smb1]] as const) {
      frames.push(overTcp(++port, 445, [0, 0, 0, h.length, ...h]));
      what.push(`nbss carrying ${v}`);
    }
    const bytes = framesCapture(frames);
    const rows = await ourRows(bytes);
    // Info is the transport's (TCP's or UDP's ports), not the service's.
    expect(rows[0].info).toMatch(/^\d+ → \d+/);
    expect(rows.slice(-2).map((r) => r.protocol)).toEqual(['SMB2', 'SMB']);
    await withFile(bytes, async (path) => {
      const ts = tsharkColumns(path);
      expect(rows.map((r) => `${what[r.n - 1]}: ${r.protocol}`)).toEqual(rows.map((r) => `${what[r.n - 1]}: ${(ts.get(r.n) ?? '').split(' | ')[0]}`));
      for (const name of ['ssh', 'ntp', 'smtp', 'syslog', 'mysql']) {
        expect([...(await ourMatches(bytes, name))], name).toEqual([...tsharkMatches(path, name)]);
      }
    });
  }, 60_000);
});
