// The layer registry: every protocol is one file that registers one definition (gopacket's layertypes.go
// line, Wireshark's proto_register_* with its hf[] and dissector_add_uint): its id, its filter name, how it
// decodes and describes, its fields, and the parent tables it joins (EtherType, IP protocol, UDP port, TCP
// port, link type). The dispatch tables, the field registry, the Protocol column names and the tunnel (tenant)
// encapsulations are all built from these definitions, so a new layer is its file plus one import line in
// decoders/layers/index.ts. decoders/dissect.ts keeps a literal switch over the shipped ids for speed (a
// test checks it covers every definition); any other id is dispatched through this registry.

import type { Summary, TreeNode } from '../summary.ts';
import type { DecodeCtx } from './ctx.ts';
import { L_TCP, L_UDP } from './ids.ts';

export type FieldType =
  | 'uint' | 'ipv4' | 'ipv6' | 'ether' | 'bool' | 'string' | 'bytes' | 'verdict' | 'protocol'
  /** A signed integer (frame.verdict.ebpf_tc: TC_ACT_UNSPEC is -1). */
  | 'int'
  /** Seconds as a decimal number (frame.time_relative, frame.time_epoch). */
  | 'float'
  /** An absolute time; filters compare it with an ISO 8601 string. */
  | 'abstime'
  /** A check name (`inner.tcp`) per check with a verdict (checksum.bad.check, ...). */
  | 'check';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
}

/** [filter name, label the details tree shows, type the display filter compiles against]. */
export type FieldSpec = readonly [string, string, FieldType];

/** What a describe function knows besides the bytes: the decode state when its layer began. */
export interface DescribeInfo {
  /** Tunnel depth (0 outermost). */
  depth: number;
  /** Upper-layer length the enclosing IP layer declared. */
  l4Len: number;
  /** The enclosing IP layer is a fragment. */
  frag: boolean;
  /** The layer that dispatched to this one (its id; 0 for the first layer). */
  parent: number;
}

/** A parent table a layer joins: `value` there decodes as this layer (`tunnel`: one tunnel deeper). */
export type JoinTable = 'ethertype' | 'ipproto' | 'udpport' | 'tcpport' | 'linktype';
export interface Join {
  table: JoinTable;
  values: readonly number[];
  /** The parent's payload is a tunnel's: the dispatch goes one tunnel deeper before this layer. */
  tunnel?: boolean;
}

/** A tunnel whose tenants the analysis keeps apart (Summary.encap, the Tenants pane, tenant.* filters). */
export interface TunnelSpec {
  /** Encapsulation code (Summary.encap, the store's encap column; < 256). */
  encap: number;
  /** Name in tenant keys, filters and JSON (`vxlan`), and how the app shows it (`VXLAN`). */
  name: string;
  label: string;
  /** The filter field holding the tenant id (`vxlan.vni`), if it has one; its width in bits. */
  idField?: string;
  idBits?: number;
}

/**
 * How the display filter's column tier files a frame whose highest layer this is. `app`: a protocol carried
 * by TCP or UDP (DNS, HTTP, ...): the frame's transport is still the one the index holds.
 */
export type LayerKind = 'link' | 'ip' | 'transport' | 'tunnel' | 'app' | 'other';

/** What a layer's `row` reads: the frame's bytes from offset 0, its details tree, and where the layer is. */
export interface RowInput {
  b: Uint8Array;
  /** The layer's bytes: [start, end) of its node in the tree. */
  start: number;
  end: number;
  caplen: number;
  /** The frame's length on the wire (more than caplen: it was cut short). */
  origlen: number;
  linktype: number;
  tree: readonly TreeNode[];
}

/** Packet-list columns a layer writes from its bytes; a column left out keeps what the frame index says. */
export interface RowText {
  protocol?: string;
  info?: string;
  src?: string;
  dst?: string;
  /** The message does not parse whole: the Info column says so (` [malformed]`), as for a malformed header. */
  malformed?: boolean;
}

export interface LayerDef {
  /** Layer id: the dispatch tables' value and Summary.topProto (1..255; 0 ends the decode). */
  id: number;
  /** The protocol's filter name (`udp`), the name of its node in the details tree; '' for none. */
  name: string;
  /** The Protocol column (`UDP`). */
  column: string;
  kind: LayerKind;
  /** Decodes the layer at c.pos and returns the next layer's id (0 to stop). Absent: never dispatched. */
  decode?: (b: Uint8Array, c: DecodeCtx, s: Summary) => number;
  /** The layer's node(s) of the details tree; byte ranges relative to `base`. */
  describe?: (b: Uint8Array, p: number, end: number, base: number, info: DescribeInfo) => TreeNode | TreeNode[];
  fields?: readonly FieldSpec[];
  /** Expert notes the layer raises (Summary.notes bits) and what the details say of them. */
  notes?: ReadonlyArray<readonly [number, string]>;
  joins?: readonly Join[];
  tunnel?: TunnelSpec;
  /**
   * The packet-list columns of a frame whose highest layer this is, read from its bytes when its row is shown
   * (Wireshark's Info wording needs more than the frame index keeps); null keeps the index's columns.
   */
  row?: (x: RowInput) => RowText | null;
}

export const TUNNEL_BIT = 0x100;

/** LayerKind by layer id, for per-frame use: 0 unregistered. */
export const KIND_LINK = 1, KIND_IP = 2, KIND_TRANSPORT = 3, KIND_TUNNEL = 4, KIND_OTHER = 5, KIND_APP = 6;
const KIND_CODE: Record<LayerKind, number> = {
  link: KIND_LINK, ip: KIND_IP, transport: KIND_TRANSPORT, tunnel: KIND_TUNNEL, other: KIND_OTHER, app: KIND_APP,
};
export const LAYER_KIND = new Uint8Array(256);
const ID_MASK = 0xff;

const layers: Array<LayerDef | undefined> = [];
const byName = new Map<string, LayerDef>();
/** The layer whose definition lists a field. */
const fieldOwner = new Map<string, LayerDef>();
const tunnels: Array<TunnelSpec | undefined> = [];
/** Dispatch tables: layer id, with TUNNEL_BIT when the dispatch goes one tunnel deeper first; 0 none. */
export const ETHERTYPE_NEXT = new Uint16Array(65536);
export const IPPROTO_NEXT = new Uint16Array(256);
export const UDPPORT_NEXT = new Uint16Array(65536);
export const TCPPORT_NEXT = new Uint16Array(65536);
export const LINKTYPE_NEXT = new Uint16Array(65536);
const TABLES: Record<JoinTable, Uint16Array> = {
  ethertype: ETHERTYPE_NEXT, ipproto: IPPROTO_NEXT, udpport: UDPPORT_NEXT, tcpport: TCPPORT_NEXT, linktype: LINKTYPE_NEXT,
};

/** Every field the details tree and the filters know, by name: the layers' and the analysis' own. */
export const FIELD_MAP = new Map<string, FieldDef>();

export function registerFields(specs: readonly FieldSpec[]): void {
  for (const [name, label, type] of specs) {
    const old = FIELD_MAP.get(name);
    if (old !== undefined && (old.label !== label || old.type !== type)) throw new Error(`field ${name} registered twice, differently`);
    FIELD_MAP.set(name, { name, label, type });
  }
}

/**
 * Adds a layer: its dispatch entries, fields and tunnel. Returns the definition (for `export const`). A
 * definition that clashes with one registered (an id, a table entry, an encapsulation code) is refused whole.
 */
export function registerLayer<T extends LayerDef>(def: T): T {
  if (!Number.isInteger(def.id) || def.id < 1 || def.id > ID_MASK) throw new Error(`layer ${def.name}: id ${def.id} is not 1..255`);
  const had = layers[def.id];
  if (had !== undefined && had !== def) throw new Error(`layer id ${def.id} is both ${had.name || had.column} and ${def.name || def.column}`);
  for (const j of def.joins ?? []) {
    const t = TABLES[j.table];
    const want = def.id | (j.tunnel === true ? TUNNEL_BIT : 0);
    for (const v of j.values) {
      if (t[v] !== 0 && t[v] !== want) throw new Error(`${j.table} ${v} is both layer ${t[v] & ID_MASK} and ${def.id}`);
    }
  }
  const had2 = def.tunnel !== undefined ? tunnels[def.tunnel.encap] : undefined;
  if (def.tunnel !== undefined && had2 !== undefined && had2.name !== def.tunnel.name) {
    throw new Error(`encap ${def.tunnel.encap} is both ${had2.name} and ${def.tunnel.name}`);
  }
  if (def.fields !== undefined) {
    registerFields(def.fields);
    for (const [name] of def.fields) if (!fieldOwner.has(name)) fieldOwner.set(name, def);
  }
  layers[def.id] = def;
  LAYER_KIND[def.id] = KIND_CODE[def.kind];
  if (def.name !== '' && !byName.has(def.name)) byName.set(def.name, def);
  for (const j of def.joins ?? []) {
    for (const v of j.values) TABLES[j.table][v] = def.id | (j.tunnel === true ? TUNNEL_BIT : 0);
  }
  if (def.tunnel !== undefined) tunnels[def.tunnel.encap] = def.tunnel;
  return def;
}

/** The layer whose definition lists field `name` (`dns.qry.name`: DNS's), or undefined (a field of no layer). */
export function fieldLayer(name: string): LayerDef | undefined {
  return fieldOwner.get(name);
}

/** The layer a protocol name (`dns`) belongs to: the first registered under it. */
export function layerByName(name: string): LayerDef | undefined {
  return byName.get(name);
}

/**
 * The transport of a frame whose highest layer is `top` (a layer id): `top` itself, or for an application
 * layer TCP when the frame has TCP flags (the innermost TCP's, -1 without one), else UDP.
 */
export function transportOf(top: number, tcpFlags: number): number {
  return LAYER_KIND[top] === KIND_APP ? (tcpFlags >= 0 ? L_TCP : L_UDP) : top;
}

/** The definition of layer `id`, or undefined. */
export function layerDef(id: number): LayerDef | undefined {
  return layers[id];
}

/** Every registered layer, by id. */
export function layerDefs(): LayerDef[] {
  return layers.filter((d): d is LayerDef => d !== undefined);
}

/** The Protocol column text of a layer id (Summary.topProto), 'Unknown' for none. */
export function protoName(id: number): string {
  return layers[id]?.column ?? 'Unknown';
}

/** The tunnel with encapsulation code `encap`. */
export function tunnelSpec(encap: number): TunnelSpec | undefined {
  return tunnels[encap];
}

/** Every tunnel, by encapsulation code. */
export function tunnelSpecs(): TunnelSpec[] {
  return tunnels.filter((t): t is TunnelSpec => t !== undefined);
}

/** The name of encapsulation code `encap` (`vxlan`), or null (no tunnel, or none registered). */
export function encapName(encap: number): string | null {
  return tunnels[encap]?.name ?? null;
}

/** The encapsulation code of a tunnel name (`vxlan`), or -1. */
export function encapCode(name: string): number {
  for (let e = 0; e < tunnels.length; e++) if (tunnels[e]?.name === name) return e;
  return -1;
}
