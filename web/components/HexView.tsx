// Packet bytes: offset, 16 bytes in hex, the same bytes as ASCII. The selected field's bytes are
// highlighted; clicking a byte selects the deepest field that covers it. Lines are virtualized so
// jumbo frames stay cheap. A frame that reassembled IP fragments has more than one byte source: tabs under
// the bytes, as in Wireshark ("Frame (96 bytes)", "Reassembled IPv4 (2062 bytes)"), pick the one shown.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { ByteTab } from '../byte-sources.ts';
import { asciiChar, hex2, hexOffset } from '../format.ts';
import { Pane } from './Pane.tsx';

interface Props {
  tabs: readonly ByteTab[] | null;
  /** The tab shown. */
  tab: number;
  frame: number | null;
  /** The selected field's bytes in the tab shown (end exclusive), and its name. */
  highlight: { start: number; end: number; name: string } | null;
  onByte: (offset: number) => void;
  onTab: (tab: number) => void;
}

const PER_LINE = 16;
const LINE_H = 18;

export function HexView({ tabs, tab, frame, highlight, onByte, onTab }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const shown = tabs?.[tab] ?? tabs?.[0] ?? null;
  const bytes = shown?.bytes ?? null;
  const lines = bytes ? Math.ceil(bytes.length / PER_LINE) : 0;
  const virt = useVirtualizer({ count: lines, getScrollElement: () => scrollRef.current, estimateSize: () => LINE_H, overscan: 8 });
  const hlStart = highlight ? highlight.start : -1;
  const hlEnd = highlight ? highlight.end : -1;
  const many = tabs !== null && tabs.length > 1;

  // Another frame or tab starts at its top (unless a highlight is to be shown, below).
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [bytes]);

  useEffect(() => {
    if (hlStart >= 0) virt.scrollToIndex(Math.floor(hlStart / PER_LINE), { align: 'auto' });
  }, [hlStart, tab, virt]);

  const onClick = (e: MouseEvent<HTMLDivElement>): void => {
    const t = e.target;
    if (!(t instanceof HTMLElement)) return;
    const off = t.dataset.off;
    if (off !== undefined) onByte(Number(off));
  };

  // The tab list is one Tab stop; arrows, Home and End move between the tabs and show the one reached.
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (!tabs) return;
    const n = tabs.length;
    const to = e.key === 'ArrowRight' ? (tab + 1) % n : e.key === 'ArrowLeft' ? (tab + n - 1) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    onTab(to);
    tabRefs.current[to]?.focus();
  };

  const where = tab > 0 && shown ? ` in ${shown.label.replace(/ \(\d+ bytes\)$/, '')}` : '';
  const meta = bytes
    ? highlight
      ? `${highlight.name} · ${hlEnd - hlStart} byte${hlEnd - hlStart === 1 ? '' : 's'} at 0x${hlStart.toString(16)}${where}`
      : tab > 0 && shown
        ? `Frame ${frame ?? ''} · ${shown.label}`
        : `Frame ${frame ?? ''} · ${bytes.length} bytes`
    : undefined;

  return (
    <Pane title="Packet bytes" className="bytes" meta={meta}>
      {!bytes && <p className="pane-msg">Select a packet to see its bytes.</p>}
      {bytes && (
        <div
          ref={scrollRef}
          className="hex-scroll"
          onClick={onClick}
          data-hl-start={hlStart}
          data-hl-length={hlEnd - hlStart}
          data-source={tab}
          {...(many ? { role: 'tabpanel', id: 'hex-panel', 'aria-labelledby': `hex-tab-${tab}` } : {})}
        >
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
      {many && (
        <div className="hex-tabs" role="tablist" aria-label="Byte sources" onKeyDown={onTabKey}>
          {tabs.map((t, k) => (
            <button
              key={k}
              ref={(el) => { tabRefs.current[k] = el; }}
              type="button"
              role="tab"
              id={`hex-tab-${k}`}
              aria-selected={k === tab}
              aria-controls="hex-panel"
              tabIndex={k === tab ? 0 : -1}
              className={`hex-tab${k === tab ? ' on' : ''}`}
              onClick={() => onTab(k)}
            >
              {t.label}
            </button>
          ))}
        </div>
      )}
    </Pane>
  );
}
