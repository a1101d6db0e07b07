// Services named by their well-known port where nothing here decodes them: the Protocol column says SSH,
// SMTP, NTP, ... as Wireshark's does (each a port its dissector takes whatever the payload holds: checked
// with tshark 4.0 on text and on binary payloads), `ssh`, `ntp`, ... filter on their presence, and the
// details show the payload under the service's name. Info keeps the transport's ports and flags.

import type { Summary, TreeNode } from '../summary.ts';
import { L_END, type DecodeCtx } from './ctx.ts';
import {
  L_FTP, L_SSH, L_TELNET, L_SMTP, L_KERBEROS, L_POP, L_NBSS, L_BGP, L_TDS, L_MQTT, L_MYSQL, L_PGSQL, L_VNC, L_X11, L_RESP, L_IRC, L_MEMCACHE, L_TFTP, L_NTP, L_ISAKMP, L_SYSLOG,
} from './ids.ts';
import { registerLayer, type Join, type RowInput, type RowText } from './registry.ts';
import { bytesHex, layerNode } from './tree.ts';

/** Any payload on the service's port is the service's (a fragment's is decoded whole elsewhere). */
export function decodeService(b: Uint8Array, c: DecodeCtx, s: Summary, id: number): number {
  if (c.pos >= c.end || c.frag !== 0) return L_END;
  s.topProto = id;
  c.pos = c.end;
  return L_END;
}

function describeService(p: number, end: number, base: number, b: Uint8Array, title: string): TreeNode[] {
  if (p >= end) return [];
  const data: TreeNode = { label: `Data: ${bytesHex(b, p, end - p)}`, field: 'data.data', value: bytesHex(b, p, end - p), start: p - base, length: end - p };
  return [layerNode(title, p, end - p, base, [data])];
}

/** NetBIOS sessions on 139/445 carry SMB: Wireshark names the SMB version its header says (0xff or 0xfe, `SMB`). */
function smbRow(x: RowInput): RowText | null {
  const q = x.start + 4;
  if (x.b[x.start] !== 0 || q + 4 > x.end || x.b[q + 1] !== 0x53 || x.b[q + 2] !== 0x4d || x.b[q + 3] !== 0x42) return null;
  return x.b[q] === 0xff ? { protocol: 'SMB' } : x.b[q] === 0xfe ? { protocol: 'SMB2' } : null;
}

/** [layer id, filter name, Protocol column, Wireshark's name for it, ports]. */
const SERVICES: ReadonlyArray<readonly [number, string, string, string, readonly Join[]]> = [
  [L_FTP, 'ftp', 'FTP', 'File Transfer Protocol (FTP)', [{ table: 'tcpport', values: [21] }]],
  [L_SSH, 'ssh', 'SSH', 'SSH Protocol', [{ table: 'tcpport', values: [22] }]],
  [L_TELNET, 'telnet', 'TELNET', 'Telnet', [{ table: 'tcpport', values: [23] }]],
  [L_SMTP, 'smtp', 'SMTP', 'Simple Mail Transfer Protocol', [{ table: 'tcpport', values: [25, 587] }]],
  [L_KERBEROS, 'kerberos', 'KRB5', 'Kerberos', [{ table: 'tcpport', values: [88] }]],
  [L_POP, 'pop', 'POP', 'Post Office Protocol', [{ table: 'tcpport', values: [110] }]],
  [L_NBSS, 'nbss', 'NBSS', 'NetBIOS Session Service', [{ table: 'tcpport', values: [139, 445] }]],
  [L_BGP, 'bgp', 'BGP', 'Border Gateway Protocol', [{ table: 'tcpport', values: [179] }]],
  [L_TDS, 'tds', 'TDS', 'Tabular Data Stream', [{ table: 'tcpport', values: [1433] }]],
  [L_MQTT, 'mqtt', 'MQTT', 'MQ Telemetry Transport Protocol', [{ table: 'tcpport', values: [1883] }]],
  [L_MYSQL, 'mysql', 'MySQL', 'MySQL Protocol', [{ table: 'tcpport', values: [3306] }]],
  [L_PGSQL, 'pgsql', 'PGSQL', 'PostgreSQL', [{ table: 'tcpport', values: [5432] }]],
  [L_VNC, 'vnc', 'VNC', 'Virtual Network Computing', [{ table: 'tcpport', values: [5900] }]],
  [L_X11, 'x11', 'X11', 'X11', [{ table: 'tcpport', values: [6000] }]],
  [L_RESP, 'resp', 'RESP', 'REdis Serialization Protocol', [{ table: 'tcpport', values: [6379] }]],
  [L_IRC, 'irc', 'IRC', 'Internet Relay Chat', [{ table: 'tcpport', values: [6667] }]],
  [L_MEMCACHE, 'memcache', 'MEMCACHE', 'Memcache Protocol', [{ table: 'udpport', values: [11211] }, { table: 'tcpport', values: [11211] }]],
  [L_TFTP, 'tftp', 'TFTP', 'Trivial File Transfer Protocol', [{ table: 'udpport', values: [69] }]],
  [L_NTP, 'ntp', 'NTP', 'Network Time Protocol', [{ table: 'udpport', values: [123] }]],
  [L_ISAKMP, 'isakmp', 'ISAKMP', 'Internet Security Association and Key Management Protocol', [{ table: 'udpport', values: [500] }]],
  [L_SYSLOG, 'syslog', 'Syslog', 'Syslog message', [{ table: 'udpport', values: [514] }]],
];

for (const [id, name, column, title, joins] of SERVICES) {
  registerLayer({
    id,
    name,
    column,
    kind: 'app',
    decode: (b, c, s) => decodeService(b, c, s, id),
    describe: (b, p, end, base, info) => (info.frag ? [] : describeService(p, end, base, b, title)),
    fields: [[name, title, 'protocol']],
    joins,
    ...(id === L_NBSS ? { row: smbRow } : {}),
  });
}
