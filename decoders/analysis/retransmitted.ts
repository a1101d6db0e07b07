// The link between bad checksums and TCP: of the segments with a bad TCP checksum, how many were sent again
// and how long after (tcp-retransmit.ts keeps them), per tenant and per host (the outer source address of a
// tunnelled segment, the IP source of a plain one). The CLI summary's tenants entries and the Tenants pane
// show the per-tenant figures; the host table calls retransmittedByHost.

import type { FrameIndex } from './frame-index.ts';
import { NO_FIGURES, type RetransmitFigures } from './tcp-retransmit.ts';

export type { RetransmitFigures } from './tcp-retransmit.ts';

/**
 * Per tenant id; `match` (store index -> 1), when given, counts only the bad segments whose frame it selects
 * (a display filter's), their retransmissions wherever they are.
 */
export function retransmittedByTenant(e: FrameIndex, match?: Uint8Array): Map<number, RetransmitFigures> {
  const b = e.badSegments;
  const fl = e.flows;
  return b.figures((k) => fl.tenant(b.flow[k]), keepFor(e, match));
}

/** Per host: the address (text) that sent the bad segments, for every host that sent one. */
export function retransmittedByHost(e: FrameIndex, match?: Uint8Array): Map<string, RetransmitFigures> {
  const b = e.badSegments;
  const out = new Map<string, RetransmitFigures>();
  for (const [id, fig] of b.figures((k) => b.host[k], keepFor(e, match))) out.set(e.addrs.text(id), fig);
  return out;
}

/** A tenant's figures (none: no bad segment). */
export function tenantRetransmitted(all: ReadonlyMap<number, RetransmitFigures>, tenant: number): RetransmitFigures {
  return all.get(tenant) ?? { ...NO_FIGURES };
}

/**
 * Per host as the host table keys it: address id * 4 + direction (the capture direction of the bad segment's
 * frame: 0 not said, 1 in, 2 out), so a host split by direction gets each direction's own figures.
 */
export function retransmittedByHostKey(e: FrameIndex, match?: Uint8Array): Map<number, RetransmitFigures> {
  const b = e.badSegments;
  return b.figures((k) => b.host[k] < 0 ? -1 : b.host[k] * 4 + b.hostDir[k], keepFor(e, match));
}

/** The first few bad segments' frames per host key (as retransmittedByHostKey keys them). */
export function badSegmentSamples(e: FrameIndex, match?: Uint8Array, limit = 5): Map<number, number[]> {
  const b = e.badSegments;
  const keep = keepFor(e, match);
  const out = new Map<number, number[]>();
  for (let k = 0; k < b.count; k++) {
    if (b.host[k] < 0 || (keep !== undefined && !keep(k))) continue;
    const key = b.host[k] * 4 + b.hostDir[k];
    let list = out.get(key);
    if (list === undefined) out.set(key, list = []);
    if (list.length < limit) list.push(b.frame[k]);
  }
  return out;
}

function keepFor(e: FrameIndex, match: Uint8Array | undefined): ((k: number) => boolean) | undefined {
  if (match === undefined) return undefined;
  const frame = e.badSegments.frame;
  return (k) => match[frame[k] - 1] === 1;
}
