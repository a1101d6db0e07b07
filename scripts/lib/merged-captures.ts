// The real captures of captures/ merged into one pcapng, so that tshark runs once per filter instead of once per
// file: the first `perFile` frames of each capture our reader reads (frames tshark would judge differently left
// out: over 64 KiB, cut longer than captured, before 1970), each link type one interface, exact times.
// Test-only helper: uses Node APIs, so nothing outside *.test.ts may import it.
import { readFileSync } from 'node:fs';
import { MemorySource } from '../../decoders/capture/memory-source.ts';
import { PcapngWriter } from '../../decoders/capture/pcapng-writer.ts';
import { readCapture } from '../../decoders/capture/sniff.ts';
import { concatBytes } from '../../decoders/bytes.ts';
import { listSharedCaptures, type SharedCapture } from './shared-captures.ts';

export interface MergeOptions {
  /** Which captures to take. */
  keep: (cap: SharedCapture) => boolean;
  perFile: number;
  /** The merged file's shb_userappl. */
  userAppl: string;
  /** Filled with `<capture>#<frame>` per frame of the merged file, in order. */
  origin: string[];
}

export async function mergeSharedCaptures(o: MergeOptions): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const w = new PcapngWriter((c) => { chunks.push(c.slice()); }, { userAppl: o.userAppl });
  const ifaces = new Map<number, number>();
  for (const cap of listSharedCaptures()) {
    if (!o.keep(cap)) continue;
    const bytes = new Uint8Array(readFileSync(cap.path));
    try {
      let kept = 0;
      await readCapture(new MemorySource(bytes), {
        onFrame: (r) => {
          if (r.caplen > 65535 || r.origlen < r.caplen || r.tsSec < 0) return;
          if (++kept > o.perFile) return false;
          let id = ifaces.get(r.linktype);
          if (id === undefined) {
            id = w.addInterface({ linktype: r.linktype, snaplen: 0, tsResolDigits: 9 });
            ifaces.set(r.linktype, id);
          }
          w.writePacket(id, r.hasTime ? r.tsSec : 0, r.hasTime ? r.tsNsec : 0, r.buf, r.dataOffset, r.caplen, r.origlen);
          o.origin.push(`${cap.rel}#${r.n}`);
        },
      });
    } catch {
      // not a capture our reader reads: nothing from it
    }
  }
  w.close();
  return concatBytes(chunks);
}
