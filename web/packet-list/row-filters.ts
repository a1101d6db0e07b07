// The display filters the packet list's menus apply: the field a column shows, for one row (Wireshark's
// "Apply as Filter" on a packet-list column), and a conversation. Conversations are tenant-aware: two
// tenants may reuse the same inner addresses, so a tunnelled conversation is its tenant plus the
// innermost addresses and ports (`#-1`: the last IP and transport layer), and plain traffic is the
// 5-tuple of frames without a tenant. Pure text building; the filters are Wireshark's syntax.
import type { CustomCell, FlowStats, FrameFacts } from '../../workers/api.ts';

/** What a row shows, as the filters need it (a PacketRow has all of it). */
export interface RowFields {
  n: number;
  src: string;
  dst: string;
  outerSrc: string;
  outerDst: string;
  protocol: string;
  length: number;
  tenantKey: string | null;
  flowId: number | null;
  checks: string;
}

export interface Conversation {
  tenant: string | null;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, an IP protocol number as text, `unknown`; `eth` for link addresses. */
  proto: string;
  a: string;
  aPort: number | null;
  b: string;
  bPort: number | null;
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** `ip`, `ipv6` or `eth` for an address as the list shows it, or null for anything else. */
function addressProtocol(text: string): 'ip' | 'ipv6' | 'eth' | null {
  if (MAC.test(text)) return 'eth';
  if (IPV4.test(text)) return 'ip';
  return text.includes(':') ? 'ipv6' : null;
}

/** `tenant.encap == vxlan && tenant.vnid == 300`; `gre:` is GRE without a tenant id; null: no tenant. */
export function tenantFilter(key: string | null): string {
  if (key === null) return '!tenant';
  const i = key.indexOf(':');
  const encap = i < 0 ? key : key.slice(0, i);
  const id = i < 0 ? '' : key.slice(i + 1);
  return /^\d+$/.test(id) ? `tenant.encap == ${encap} && tenant.vnid == ${id}` : `tenant.encap == ${encap} && !tenant.vnid`;
}

/** The Source or Destination column: the innermost address a tunnelled row shows, the frame's own otherwise. */
function addressFilter(which: 'src' | 'dst', text: string, tunnelled: boolean): string | null {
  const p = addressProtocol(text);
  return p === null ? null : `${p}.${which}${tunnelled ? '#-1' : ''} == ${text}`;
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const VERDICTS = new Set(['bad', 'partial', 'zero', 'unverified']);

/** The Checksums column: each check it names with its verdict; `ok`: no finding at all. */
export function checksFilter(text: string): string | null {
  if (text === '') return null;
  if (text === 'ok') return '!checksum.bad && !checksum.partial && !checksum.zero && !checksum.unverified';
  const parts: string[] = [];
  for (const part of text.split(', ')) {
    const sp = part.indexOf(' ');
    const check = part.slice(0, sp);
    const verdict = part.slice(sp + 1);
    if (VERDICTS.has(verdict)) parts.push(`checksum.${verdict}.check == "${check}"`);
    // "no checksum": a UDP checksum of 0 over IPv4 (not a finding, so no checksum.* flag has it).
    else if (verdict === 'no checksum') parts.push(`${check.slice(check.lastIndexOf('.') + 1)}.checksum.status == zero`);
  }
  return parts.length > 0 ? [...new Set(parts)].join(' && ') : null;
}

/**
 * The filter for the value a column shows in a row, or null when it has none (Info; an empty cell).
 * `facts`: the frame's (the worker's frameFacts), for the Time column; `custom`: the cell of a custom column.
 */
export function columnFilter(column: string, row: RowFields, facts: FrameFacts | null, custom?: CustomCell): string | null {
  const tunnelled = row.outerSrc !== '' || row.tenantKey !== null;
  switch (column) {
    case 'no': return `frame.number == ${row.n}`;
    case 'time': return facts?.time ? `frame.time == "${facts.time}"` : null;
    case 'src': return addressFilter('src', row.src, tunnelled);
    case 'dst': return addressFilter('dst', row.dst, tunnelled);
    case 'outerSrc': return row.outerSrc === '' ? null : `${addressProtocol(row.outerSrc) ?? 'ip'}.src#1 == ${row.outerSrc}`;
    case 'outerDst': return row.outerDst === '' ? null : `${addressProtocol(row.outerDst) ?? 'ip'}.dst#1 == ${row.outerDst}`;
    // The column as it reads: `udp` would also take every VXLAN frame, whatever it carries.
    case 'protocol': return row.protocol === '' ? null : `_ws.col.protocol == ${quote(row.protocol)}`;
    case 'length': return `frame.len == ${row.length}`;
    case 'tenant': return tenantFilter(row.tenantKey);
    case 'flowId': return row.flowId === null ? null : `nvgre.flowid == ${row.flowId}`;
    case 'checks': return checksFilter(row.checks);
    default: return column.startsWith('custom:') ? custom?.filter ?? null : null;
  }
}

const PROTO_NUMBER: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, gre: 47, icmpv6: 58, sctp: 132 };

/** The conversation filter: the tenant (or none), both addresses, both ports or the protocol. */
export function conversationFilter(c: Conversation): string {
  const tunnelled = c.tenant !== null;
  const last = tunnelled ? '#-1' : '';
  const parts = [tenantFilter(c.tenant)];
  const fam = c.proto === 'eth' ? 'eth' : addressProtocol(c.a) ?? 'ip';
  for (const addr of new Set([c.a, c.b])) parts.push(`${fam}.addr${last} == ${addr}`);
  if (c.proto === 'tcp' || c.proto === 'udp') {
    for (const port of new Set([c.aPort, c.bPort])) if (port !== null) parts.push(`${c.proto}.port${last} == ${port}`);
  } else if (c.proto === 'icmp' || c.proto === 'icmpv6') {
    parts.push(c.proto);
  } else {
    const num = PROTO_NUMBER[c.proto] ?? (/^\d+$/.test(c.proto) ? Number(c.proto) : null);
    if (num !== null && fam !== 'eth') parts.push(`${fam === 'ipv6' ? 'ipv6.nxt' : 'ip.proto'}${last} == ${num}`);
  }
  return parts.join(' && ');
}

/**
 * A frame's conversation: its tenant and inner 5-tuple; for a row that shows link addresses (ARP, which has
 * no IP header of its own: inside a tunnel its flow is the underlay's), those addresses in its tenant.
 */
export function frameConversation(f: FrameFacts, row: Pick<RowFields, 'src' | 'dst'>): Conversation | null {
  if (MAC.test(row.src) && MAC.test(row.dst)) return { tenant: f.tenant, proto: 'eth', a: row.src, aPort: null, b: row.dst, bPort: null };
  if (f.inner === null) return null;
  return { tenant: f.tenant, proto: f.inner.proto, a: f.inner.src, aPort: f.inner.sport, b: f.inner.dst, bPort: f.inner.dport };
}

export function flowConversation(f: FlowStats): Conversation {
  return { tenant: f.tenant, proto: f.proto, a: f.a, aPort: f.aPort, b: f.b, bPort: f.bPort };
}

/** `a` combined with the filter applied now (`… and selected`, `… or selected`). */
export function combineFilters(applied: string, op: '&&' | '||', f: string): string {
  return applied.trim() === '' ? f : `(${applied.trim()}) ${op} ${f}`;
}
