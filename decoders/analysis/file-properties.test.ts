// Capture File Properties against capinfos: packet count, data size (bytes on the wire), duration, packets per
// interface, section and interface options, on real captures with Interface Statistics Blocks and a classic pcap.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../capture/memory-source.ts';
import { Engine } from './engine.ts';
import { fileProperties } from './file-properties.ts';

const FILES = [
  'captures/PcapPlusPlus/packetpp__mysql.pcapng',
  'captures/PcapPlusPlus/pcappp__many_interfaces-1.pcapng',
  'captures/zeek/http__cooper-grill-dvwa.pcapng',
  'captures/PcapPlusPlus/pcappp__one_tcp_rst.pcap',
];

function capinfos(path: string): Record<string, string> {
  const out = execFileSync('capinfos', ['-M', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const m: Record<string, string> = {};
  let iface = -1;
  for (const line of out.split('\n')) {
    const h = /^Interface #(\d+) info:/.exec(line);
    if (h) { iface = Number(h[1]); continue; }
    const top = /^([A-Z][^:]+):\s+(.*)$/.exec(line);
    if (top) { m[top[1]] = top[2]; iface = -1; continue; }
    const kv = /^\s+([A-Za-z ]+?) = (.*)$/.exec(line);
    if (kv && iface >= 0) m[`${iface}.${kv[1]}`] = kv[2];
  }
  return m;
}

describe.skipIf(!existsSync('/usr/bin/capinfos'))('capture file properties against capinfos', () => {
  for (const path of FILES) {
    it(path, async () => {
      const e = new Engine();
      await e.load(new MemorySource(new Uint8Array(readFileSync(path))), path);
      const p = fileProperties(e, path, statSync(path).size);
      const c = capinfos(path);
      expect(String(p.packets)).toBe(c['Number of packets']);
      expect(`${p.wireBytes} bytes`).toBe(c['Data size']);
      expect(`${p.size} bytes`).toBe(c['File size']);
      // capinfos prints the duration to the file's timestamp precision.
      const dur = c['Capture duration'].replace(' seconds', '');
      expect(p.elapsed.toFixed(dur.length - dur.indexOf('.') - 1)).toBe(dur);
      expect(p.averageSize.toFixed(2)).toBe(c['Average packet size'].replace(' bytes', ''));
      expect(c['File type']).toContain(p.format === 'pcapng' ? 'pcapng' : 'pcap');
      expect(p.sections[0]?.hardware ?? undefined).toBe(c['Capture hardware']);
      expect(p.interfaces.length).toBe(Number(c['Number of interfaces in file']));
      p.interfaces.forEach((ifc, k) => {
        expect(String(ifc.packets), `interface ${k} packets`).toBe(c[`${k}.Number of packets`]);
        expect(String(ifc.statistics.length)).toBe(c[`${k}.Number of stat entries`] ?? '0');
        expect(String(ifc.snaplen)).toBe(c[`${k}.Capture length`]);
      });
    });
  }
});
