// Packet bytes: offset, 16 bytes in hex, the same bytes as ASCII. The selected field's bytes are
// highlighted; clicking a byte selects the deepest field that covers it. Lines are virtualized so
// jumbo frames stay cheap.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type MouseEvent } from 'react';
import type { TreeNode } from '../../workers/api.ts';
import { asciiChar, hex2, hexOffset } from '../format.ts';
import { Pane } from './Pane.tsx';

interface Props {
  bytes: Uint8Array | null;
  frame: number | null;
  highlight: TreeNode | null;
  onByte: (offset: number) => void;
}

const PER_LINE = 16;
const LINE_H = 18;

export function HexView({ bytes, frame, highlight, onByte }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const lines = bytes ? Math.ceil(bytes.length / PER_LINE) : 0;
  const virt = useVirtualizer({ count: lines, getScrollElement: () => scrollRef.current, estimateSize: () => LINE_H, overscan: 8 });
  const hlStart = highlight && highlight.length > 0 ? highlight.start : -1;
  const hlEnd = highlight && highlight.length > 0 ? highlight.start + highlight.length : -1;

  useEffect(() => {
    if (hlStart >= 0) virt.scrollToIndex(Math.floor(hlStart / PER_LINE), { align: 'auto' });
  }, [hlStart, virt]);

  const onClick = (e: MouseEvent<HTMLDivElement>): void => {
    const t = e.target;
    if (!(t instanceof HTMLElement)) return;
    const off = t.dataset.off;
    if (off !== undefined) onByte(Number(off));
  };

  const meta = bytes
    ? highlight && highlight.length > 0
      ? `${highlight.field ?? highlight.label} · ${highlight.length} byte${highlight.length === 1 ? '' : 's'} at 0x${highlight.start.toString(16)}`
      : `Frame ${frame ?? ''} · ${bytes.length} bytes`
    : undefined;

  return (
    <Pane title="Packet bytes" className="bytes" meta={meta}>
      {!bytes && <p className="pane-msg">Select a packet to see its bytes.</p>}
      {bytes && (
        <div ref={scrollRef} className="hex-scroll" onClick={onClick} data-hl-start={hlStart} data-hl-length={hlEnd - hlStart}>
          <div className="hex-body" style={{ height: virt.getTotalSize() }}>
            {virt.getVirtualItems().map((it) => {
              const base = it.index * PER_LINE;
              const end = Math.min(bytes.length, base + PER_LINE);
              const hex = [];
              const asc = [];
              for (let o = base; o < end; o++) {
                const on = o >= hlStart && o < hlEnd;
                const cls = `${on ? 'hl' : ''}${o - base === 7 ? ' gap' : ''}`;
                hex.push(<span key={o} data-off={o} className={cls || undefined}>{hex2(bytes[o])}</span>);
                asc.push(<span key={o} data-off={o} className={on ? 'hl' : undefined}>{asciiChar(bytes[o])}</span>);
              }
              return (
                <div key={it.index} className="hex-line" style={{ transform: `translateY(${it.start}px)` }}>
                  <span className="hex-off">{hexOffset(base)}</span>
                  <span className="hex-hex">{hex}</span>
                  <span className="hex-asc">{asc}</span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </Pane>
  );
}
