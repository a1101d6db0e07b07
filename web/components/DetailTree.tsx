// Packet details: the frame's layers as a collapsible tree. Expansion is remembered by node kind
// (like Wireshark), so moving between frames keeps the same layers open. Lines that refer to another frame
// (TreeNode.frame: a fragment, the frame a fragment was reassembled in) are links to it, as Wireshark's frame
// number fields are: a click or Enter goes there; so does each `#N` of a fragment list.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { FrameDetail, TreeNode } from '../../workers/api.ts';
import { ancestors, frameRefs, nodeText, worstVerdict } from '../tree.ts';
import { Pane } from './Pane.tsx';
import { filterUi } from '../filter/state.ts';

interface Props {
  detail: FrameDetail | null;
  error: string | null;
  selectedPath: string | null;
  /** Changes when the selection came from the bytes pane and should be scrolled into view. */
  reveal: number;
  onSelect: (path: string) => void;
  /** Goes to frame n (selects it in the packet list). */
  onGoTo: (n: number) => void;
  /** Shown under the tree (the frame's path across captures). */
  footer?: ReactNode;
}

interface Line {
  path: string;
  kind: string;
  node: TreeNode;
  level: number;
  hasKids: boolean;
}

/** `Internet Protocol Version 4, Src: …` -> `Internet Protocol Version 4`. */
function kindOf(node: TreeNode): string {
  if (node.field) return node.field;
  const m = /^[^,:(]*/.exec(node.label);
  return (m ? m[0] : node.label).trim();
}

/** The field a line shows and its name as the line reads (`Time to Live: 64` -> `Time to Live`), for "Apply as column". */
function fieldOf(node: TreeNode): { field?: string; title?: string } {
  if (node.field === undefined) return {};
  const i = node.label.indexOf(':');
  return { field: node.field, title: i > 0 ? node.label.slice(0, i).trim() : node.field };
}

/** Kind signature of every node (path -> signature), unique among siblings by occurrence. */
function signatures(tree: readonly TreeNode[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (list: readonly TreeNode[], prefix: string, sigPrefix: string): void => {
    const seen = new Map<string, number>();
    list.forEach((n, i) => {
      const k = kindOf(n);
      const occ = seen.get(k) ?? 0;
      seen.set(k, occ + 1);
      const path = prefix ? `${prefix}.${i}` : String(i);
      const sig = `${sigPrefix}/${k}#${occ}`;
      out.set(path, sig);
      if (n.children) walk(n.children, path, sig);
    });
  };
  walk(tree, '', '');
  return out;
}

export function DetailTree({ detail, error, selectedPath, reveal, onSelect, onGoTo, footer }: Props) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const sigs = useMemo(() => (detail ? signatures(detail.tree) : new Map<string, string>()), [detail]);
  const rootRef = useRef<HTMLUListElement>(null);

  // A byte click selected a node: open its ancestors.
  useEffect(() => {
    if (!selectedPath || reveal === 0) return;
    const need = ancestors(selectedPath).map((p) => sigs.get(p)).filter((s): s is string => s !== undefined);
    setOpen((prev) => (need.every((s) => prev.has(s)) ? prev : new Set([...prev, ...need])));
  }, [reveal, selectedPath, sigs]);

  useEffect(() => {
    if (!selectedPath) return;
    const el = rootRef.current?.querySelector<HTMLElement>(`[data-path="${selectedPath}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [selectedPath, open, reveal]);

  const lines = useMemo<Line[]>(() => {
    const out: Line[] = [];
    if (!detail) return out;
    const walk = (list: readonly TreeNode[], prefix: string, level: number): void => {
      list.forEach((node, i) => {
        const path = prefix ? `${prefix}.${i}` : String(i);
        const kind = sigs.get(path) ?? path;
        const hasKids = !!node.children && node.children.length > 0;
        out.push({ path, kind, node, level, hasKids });
        if (hasKids && open.has(kind) && node.children) walk(node.children, path, level + 1);
      });
    };
    walk(detail.tree, '', 1);
    return out;
  }, [detail, sigs, open]);

  const toggle = (kind: string, to?: boolean): void => {
    setOpen((prev) => {
      const next = new Set(prev);
      const on = to ?? !prev.has(kind);
      if (on) next.add(kind);
      else next.delete(kind);
      return next;
    });
  };

  const expandAll = (on: boolean): void => {
    if (!on) {
      setOpen(new Set());
      return;
    }
    setOpen((prev) => new Set([...prev, ...sigs.values()]));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    if (lines.length === 0) return;
    const i = lines.findIndex((l) => l.path === selectedPath);
    const cur = i >= 0 ? lines[i] : null;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown': onSelect(lines[Math.min(lines.length - 1, i + 1)].path); break;
      case 'ArrowUp': onSelect(lines[Math.max(0, i - 1)].path); break;
      case 'Home': onSelect(lines[0].path); break;
      case 'End': onSelect(lines[lines.length - 1].path); break;
      case 'ArrowRight':
        if (cur?.hasKids && !open.has(cur.kind)) toggle(cur.kind, true);
        else if (cur?.hasKids && lines[i + 1]) onSelect(lines[i + 1].path);
        break;
      case 'ArrowLeft':
        if (cur?.hasKids && open.has(cur.kind)) toggle(cur.kind, false);
        else if (cur && cur.path.includes('.')) onSelect(cur.path.slice(0, cur.path.lastIndexOf('.')));
        break;
      case 'Enter':
        if (cur?.node.frame !== undefined) onGoTo(cur.node.frame);
        else if (cur?.hasKids) toggle(cur.kind);
        break;
      case ' ':
        if (cur?.hasKids) toggle(cur.kind);
        break;
      case 'ContextMenu':
      case 'F10': {
        // The field menu (Apply as filter …) for the selected line, from the keyboard.
        if (e.key === 'F10' && !e.shiftKey) { handled = false; break; }
        const el = cur ? rootRef.current?.querySelector<HTMLElement>(`[data-path="${cur.path}"]`) : null;
        if (cur?.node.filter && el) {
          const r = el.getBoundingClientRect();
          filterUi.set({ menu: { filter: cur.node.filter, x: r.left + 24, y: r.bottom, ...fieldOf(cur.node) } });
        }
        break;
      }
      default: handled = false;
    }
    if (handled) e.preventDefault();
  };

  const tools = detail ? (
    <>
      <button type="button" className="tool" onClick={() => expandAll(true)}>Expand all</button>
      <button type="button" className="tool" onClick={() => expandAll(false)}>Collapse all</button>
    </>
  ) : null;

  return (
    <Pane title="Packet details" className="details" meta={detail ? `Frame ${detail.n}` : undefined} tools={tools}>
      {error && <p className="pane-msg err">Cannot show the frame: {error}</p>}
      {!detail && !error && <p className="pane-msg">Select a packet to see its layers.</p>}
      {detail && (
        <ul ref={rootRef} className="tree" role="tree" aria-label={`Layers of frame ${detail.n}`} tabIndex={0} onKeyDown={onKeyDown}>
          {lines.map((l) => {
            const isOpen = l.hasKids && open.has(l.kind);
            const worst = l.hasKids && !isOpen ? worstVerdict(l.node) : null;
            // A UDP-over-IPv4 "no checksum" is no finding: no verdict colour, its own badge.
            const v = l.node.noChecksum ? undefined : l.node.verdict;
            const goTo = l.node.frame;
            return (
              <li
                key={l.path}
                role="treeitem"
                aria-level={l.level}
                aria-expanded={l.hasKids ? isOpen : undefined}
                aria-selected={l.path === selectedPath}
                data-path={l.path}
                data-field={l.node.field}
                data-goto={goTo}
                title={goTo !== undefined ? `Go to frame ${goTo} (click or Enter)` : undefined}
                className={`tl${l.path === selectedPath ? ' sel' : ''}${v && v !== 'good' ? ` v-${v}` : ''}${worst ? ` w-${worst}` : ''}${goTo !== undefined ? ' tl-link' : ''}`}
                style={{ paddingLeft: 4 + (l.level - 1) * 16 }}
                onClick={() => {
                  onSelect(l.path);
                  if (goTo !== undefined) onGoTo(goTo);
                }}
                onDoubleClick={() => l.hasKids && toggle(l.kind)}
                onContextMenu={(e) => {
                  const f = l.node.filter;
                  if (!f) return;
                  e.preventDefault();
                  onSelect(l.path);
                  filterUi.set({ menu: { filter: f, x: e.clientX, y: e.clientY, ...fieldOf(l.node) } });
                }}
                data-filter={l.node.filter}
              >
                <span
                  className="twisty"
                  aria-hidden="true"
                  onClick={(e) => {
                    e.stopPropagation();
                    if (l.hasKids) toggle(l.kind);
                    onSelect(l.path);
                  }}
                >
                  {l.hasKids ? (isOpen ? '▾' : '▸') : ''}
                </span>
                <span className="tl-text">
                  {goTo !== undefined ? nodeText(l.node) : frameRefs(l.node).map((p, k) => (typeof p === 'string' ? p : (
                    <span
                      key={k}
                      className="frame-ref"
                      data-goto={p.frame}
                      title={`Go to frame ${p.frame}`}
                      onClick={(e) => {
                        e.stopPropagation();
                        onSelect(l.path);
                        onGoTo(p.frame);
                      }}
                    >
                      {p.text}
                    </span>
                  )))}
                </span>
                {v && <VerdictBadge verdict={v} expected={l.node.expected && !l.node.label.includes(l.node.expected) ? l.node.expected : undefined} />}
                {l.node.noChecksum && <span className="badge b-none" title={'A UDP checksum of 0 over IPv4 means "no checksum" (RFC 768): allowed, no finding'}>[no checksum]</span>}
                {worst && <span className={`badge b-${worst}`} title={`contains a ${worst} checksum`}>{worst}</span>}
              </li>
            );
          })}
        </ul>
      )}
      {footer}
    </Pane>
  );
}

function VerdictBadge({ verdict, expected }: { verdict: NonNullable<TreeNode['verdict']>; expected?: string }) {
  return (
    <span className={`badge b-${verdict}`}>
      [{verdict}{verdict === 'bad' && expected ? `, should be ${expected}` : ''}]
    </span>
  );
}
