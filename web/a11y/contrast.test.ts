// WCAG contrast of the app's colours, read from the stylesheets and the colouring rules in the source:
// text 4.5:1 against every background it is drawn on (hover and selected states included), focus
// indicators 3:1 against the surfaces around them (WCAG 2.2 1.4.3, 1.4.11, 2.4.7). Which text sits on
// which background is listed here by selector; every colour the stylesheets declare must be covered by
// the lists, so a new or changed colour is checked too.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AXIS } from '../components/charts/palette.ts';
import { DEFAULT_RULES } from '../filter/rules.ts';
import { contrast, over, parseColour, type Rgba } from './contrast.ts';
import { backgroundOf, parseCss, resolver, type CssRule } from './css-rules.ts';

const WEB = fileURLToPath(new URL('..', import.meta.url));
const SHEETS = ['styles.css', 'filter/filter.css', 'share/share.css', 'paths/paths.css', 'stats/stats.css'];
const rules: CssRule[] = SHEETS.flatMap((f) => parseCss(readFileSync(join(WEB, f), 'utf8'), f));
const resolve = resolver(rules);
const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };

/** Text colour (a selector whose rule sets `color`) and the backgrounds (selectors) it is drawn on. */
interface TextUse {
  fg: string;
  on: string[];
  /** A selector whose rule sets the opacity the text is drawn with. */
  opacity?: string;
}

const TEXT: TextUse[] = [
  { fg: 'body', on: ['.pane', '.tl:hover', '.tbl tr.clickable:hover td', '.hex-hex span:hover', '.filterbar', '.goto', '.field-menu', '.modal'] },
  { fg: '.logo', on: ['.toolbar'] },
  { fg: 'body', on: ['.follow-text'] },
  { fg: '.follow-client', on: ['.follow-client'] },
  { fg: '.follow-server', on: ['.follow-server'] },
  { fg: '.follow-error', on: ['.modal'] },
  { fg: '.stats-tabs [role=tab]', on: ['.stats-tabs [role=tab]', '.stats-tabs [role=tab][aria-selected=true]'] },
  { fg: '.stats-layer', on: ['.modal'] },
  { fg: '.stats-table th', on: ['.stats-table th', '.stats-table th[aria-sort=ascending]'] },
  { fg: '.stats-table td', on: ['.modal', '.stats-table tbody tr:hover', '.stats-table tbody tr[aria-selected=true]'] },
  { fg: '.stats-frames a', on: ['.modal', '.stats-table tbody tr:hover'] },
  { fg: '.stats-empty', on: ['.modal'] },
  { fg: '.props dt', on: ['.modal'] },
  { fg: '.props dd', on: ['.modal'] },
  { fg: '.props h3', on: ['.modal'] },
  { fg: '.stats-menu button', on: ['.stats-menu', '.stats-menu button:hover', '.stats-menu button:focus-visible'] },
  { fg: '.stats-menu kbd', on: ['.stats-menu', '.stats-menu button:hover'] },
  { fg: '.stats-sev.error', on: ['.stats-sev.error'] },
  { fg: '.stats-sev.warning', on: ['.stats-sev.warning'] },
  { fg: '.stats-sev.note', on: ['.stats-sev.note'] },
  { fg: '.stats-sev.chat', on: ['.stats-sev.chat'] },
  { fg: '.btn', on: ['.btn:hover'] },
  { fg: '.btn.primary', on: ['.btn.primary:hover'] },
  { fg: '.tb-file', on: ['.toolbar'] },
  { fg: '.tb-hint', on: ['.toolbar'] },
  { fg: '.lb-name', on: ['.loadbar'] },
  { fg: '.lb-text', on: ['.loadbar'] },
  { fg: '.n-error', on: ['.n-error'], opacity: '.n-close' },
  { fg: '.n-info', on: ['.n-info'], opacity: '.n-close' },
  { fg: '.n-warn', on: ['.n-warn'], opacity: '.n-close' },
  { fg: '.link', on: ['.pane', '.n-error', '.n-info', '.n-warn'] },
  { fg: '.skip-link', on: ['.skip-links'] },
  { fg: '.pane-title', on: ['.pane-head'] },
  { fg: '.pane-meta', on: ['.pane-head', '.sub-title'] },
  { fg: '.pane-msg', on: ['.pane'] },
  { fg: '.muted', on: ['.pane', '.tbl tr.clickable:hover td'] },
  { fg: '.b-none', on: ['.pane', '.tl:hover'] },
  { fg: '.lg-none', on: ['.pane', '.pane-head'] },
  { fg: '.pane-msg.err', on: ['.pane'] },
  { fg: '.pane-msg.ok', on: ['.pane'] },
  { fg: '.tool', on: ['.tool:hover'] },
  { fg: '.check', on: ['.pane-head'] },
  { fg: '.gh-btn', on: ['.grid-head', '.gh-btn:hover'] },
  { fg: '.sort-ind', on: ['.grid-head', '.gh-btn:hover'] },
  { fg: '.gr', on: ['.pane', '.gr:nth-child(even)', '.gr:hover'] },
  { fg: '.grid-empty', on: ['.pane'] },
  { fg: '.twisty', on: ['.pane', '.tl:hover'] },
  { fg: '.tl.sel .twisty', on: ['.tl.sel'] },
  { fg: '.tl.sel .tl-text', on: ['.tl.sel'] },
  { fg: '.tl.v-bad .tl-text', on: ['.pane', '.tl:hover'] },
  { fg: '.tl.v-partial .tl-text', on: ['.pane', '.tl:hover'] },
  { fg: '.tl-link .tl-text', on: ['.pane', '.tl:hover'] },
  { fg: '.frame-ref', on: ['.pane', '.tl:hover'] },
  { fg: '.tl.sel .frame-ref', on: ['.tl.sel'] },
  { fg: '.hex-off', on: ['.pane'] },
  { fg: '.hex-tab', on: ['.hex-tabs', '.hex-tab:hover'] },
  { fg: '.hex-asc', on: ['.pane', '.hex-hex span:hover'] },
  { fg: '.tbl tr.sel td.t-bad', on: ['.tbl tr.sel td'] },
  { fg: '.t-bad', on: ['.pane', '.tbl tr.clickable:hover td'] },
  { fg: '.t-partial', on: ['.pane', '.tbl tr.clickable:hover td'] },
  { fg: '.t-zero', on: ['.pane', '.tbl tr.clickable:hover td'] },
  { fg: '.samples .more', on: ['.pane'] },
  { fg: '.chart figcaption', on: ['.pane'] },
  { fg: '.pl-val', on: ['.pane'] },
  { fg: '.pl-bytes', on: ['.pane'] },
  { fg: '.sb-counts', on: ['.statusbar'] },
  { fg: '.dz-title', on: ['.dz-box'] },
  { fg: '.dz-sub', on: ['.dz-box'] },
  { fg: '.fb-input', on: ['.fb-input.fb-valid', '.fb-input.fb-invalid'] },
  { fg: '.fb-hist', on: ['.fb-hist:hover'] },
  { fg: '.filterbar .btn', on: ['.filterbar .btn:hover:not(:disabled)'] },
  { fg: '.fb-msg', on: ['.filterbar'] },
  { fg: '.fb-err', on: ['.filterbar'] },
  { fg: '.fb-name', on: ['.fb-popup', '.fb-popup li:hover'] },
  { fg: '.fb-label', on: ['.fb-popup', '.fb-popup li:hover'] },
  { fg: '.fb-type', on: ['.fb-popup', '.fb-popup li:hover'] },
  { fg: '.goto-err', on: ['.goto'] },
  { fg: '.fm-head', on: ['.field-menu'] },
  { fg: '.modal-sub', on: ['.modal'] },
  { fg: '.modal .btn', on: ['.modal .btn:hover:not(:disabled)'] },
  { fg: '.modal .btn.primary', on: ['.modal .btn.primary:hover:not(:disabled)'] },
  { fg: '.rules-table th', on: ['.modal'] },
  { fg: '.rule-err', on: ['.modal'] },
  { fg: '.share-menu', on: ['.share-menu button:hover:not(:disabled)'] },
  { fg: '.fm-group', on: ['.field-menu'] },
  { fg: '.cp-text', on: ['.chart-pick'] },
  { fg: '.sp-title', on: ['.share-panel'] },
  { fg: '.sp-error', on: ['.share-panel'] },
  { fg: '.sp-note', on: ['.share-panel'] },
  { fg: '.ct-tab', on: ['.capture-tabs', '.ct-tab:hover:not(:disabled)'] },
  { fg: '.ct-tab.on', on: ['.ct-tab.on'] },
  { fg: '.ct-tab:disabled', on: ['.capture-tabs'] },
  { fg: '.ct-meta', on: ['.capture-tabs', '.ct-tab:hover:not(:disabled)', '.ct-tab.on'] },
  { fg: '.paths-tools', on: ['.pane-head'] },
  { fg: '.paths-tbl tr.pf-text td', on: ['.pane'] },
  { fg: '.cause-sender', on: ['.cause-sender'] },
  { fg: '.cause-offload', on: ['.cause-offload'] },
  { fg: '.cause-path', on: ['.cause-path'] },
  { fg: '.cause-lost', on: ['.cause-lost'] },
  { fg: '.path-diff .was', on: ['.pane'] },
  { fg: '.path-diff .now', on: ['.pane'] },
  { fg: '.gr', on: ['.mg-row.sev-bad', '.mg-row.sev-partial', '.mg-row.sev-zero'] },
];

/** Focus indicators (a selector whose rule draws one) and the surfaces next to them. */
const FOCUS: Array<{ rule: string; on: string[] }> = [
  { rule: ':focus-visible', on: ['body', '.pane', '.pane-head', '.grid-head', '.filterbar', '.statusbar', '.n-error', '.n-info', '.n-warn', '.goto', '.field-menu', '.modal', '.skip-links', '.share-panel'] },
  { rule: '.toolbar :focus-visible', on: ['.toolbar', '.loadbar'] },
  { rule: '.toolbar .share-menu :focus-visible', on: ['.share-menu', '.share-panel'] },
  { rule: '.share-menu button:focus-visible', on: ['.share-menu'] },
  { rule: '.stats-menu button:focus-visible', on: ['.stats-menu'] },
  { rule: '.stats-sort:focus-visible', on: ['.stats-table th', '.stats-table th[aria-sort=ascending]'] },
  { rule: '.splitter:focus-visible', on: ['body', '.pane'] },
  { rule: '.grid-scroll:focus-visible', on: ['.pane', '.grid-head', '.gr:nth-child(even)', '.gr:hover'] },
  { rule: '.grid-scroll:focus-visible .gr.sel', on: ['.gr.sel', '.pane', '.gr:nth-child(even)', '.gr:hover'] },
  { rule: '.tree:focus-visible', on: ['.pane', '.tl:hover'] },
  { rule: '.tree:focus-visible .tl.sel', on: ['.tl.sel', '.pane', '.tl:hover'] },
  { rule: ':focus-visible', on: ['.hex-tabs', '.hex-tab:hover', '.hex-tab.on'] },
  { rule: '.tbl tr:focus-visible', on: ['.pane', '.tbl tr.sel td', '.tbl tr.clickable:hover td'] },
  { rule: '.fb-input:focus', on: ['.filterbar', '.modal', '.fb-input', '.fb-input.fb-valid', '.fb-input.fb-invalid'] },
  { rule: '.field-menu li[role=menuitem]:focus', on: ['.field-menu'] },
  // The filter bar's popup option the arrows chose (the combobox's active descendant).
  { rule: '.fb-popup li.on', on: ['.fb-popup'] },
  { rule: ':focus-visible', on: ['.capture-tabs', '.ct-tab.on', '.ct-tab:hover:not(:disabled)'] },
];

/** Backgrounds no text is drawn on (tracks, overlays, hover bars). */
const NO_TEXT = ['.stats-bar', '.fm-sep', '.lb-track', '.splitter:hover', '.resizer:hover', '.dropzone', '.modal-backdrop', '.rules-table input[type=color]'];

function rulesFor(selector: string): CssRule[] {
  const found = rules.filter((r) => r.selectors.includes(selector));
  if (found.length === 0) throw new Error(`no rule for ${selector} in ${SHEETS.join(', ')}`);
  return found;
}

/** The last value a rule for `selector` gives `prop`. */
function declared(selector: string, prop: string): string | null {
  let v: string | null = null;
  for (const r of rulesFor(selector)) {
    const d = r.decls.get(prop);
    if (d !== undefined) v = resolve(d);
  }
  return v;
}

function colour(text: string, what: string): Rgba {
  const c = parseColour(text);
  if (c === null) throw new Error(`${what}: "${text}" is not a colour`);
  return c;
}

function background(selector: string): Rgba {
  let bg: string | null = null;
  for (const r of rulesFor(selector)) bg = backgroundOf(r, resolve) ?? bg;
  if (bg === null) throw new Error(`${selector} sets no solid background`);
  const c = colour(bg, `${selector} background`);
  if (c.a < 1) throw new Error(`${selector}: a translucent background (${bg}) cannot be checked`);
  return c;
}

function textColour(selector: string): Rgba {
  const c = declared(selector, 'color');
  if (c === null) throw new Error(`${selector} sets no colour`);
  return colour(c, `${selector} color`);
}

const COLOUR_TOKEN = /#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|hsla?\([^)]*\)|\b(?:white|black)\b/gi;
const INDICATOR_PROPS = ['outline', 'outline-color', 'box-shadow', 'background', 'background-color', 'border', 'border-color'];

/** The colours a rule draws with (outline, shadow, background, border), by property. */
function indicatorColours(rule: CssRule): Array<{ prop: string; c: Rgba }> {
  const out: Array<{ prop: string; c: Rgba }> = [];
  for (const prop of INDICATOR_PROPS) {
    const v = rule.decls.get(prop);
    if (v === undefined) continue;
    for (const t of resolve(v).match(COLOUR_TOKEN) ?? []) out.push({ prop, c: colour(t, `${rule.selectors[0]} ${prop}`) });
  }
  return out;
}

function isFocusSelector(s: string): boolean {
  return /:focus/.test(s);
}

/** `:disabled` controls are exempt from contrast (but `:not(:disabled)` is an enabled one). */
function onlyDisabled(s: string): boolean {
  return /:disabled/.test(s.replace(/:not\(:disabled\)/g, ''));
}

function ratio(fg: Rgba, bg: Rgba): number {
  const under = over(bg, WHITE);
  return contrast(over(fg, under), under);
}

const fmt = (n: number): string => n.toFixed(2);

describe('contrast()', () => {
  it('gives the WCAG ratios', () => {
    expect(contrast(colour('#000', 'black'), colour('white', 'white'))).toBeCloseTo(21, 5);
    expect(contrast(colour('#777777', 'grey'), WHITE)).toBeCloseTo(4.48, 2);
    expect(contrast(colour('rgb(201, 138, 0)', 'amber'), WHITE)).toBeCloseTo(2.95, 2);
    expect(contrast(colour('hsl(0, 0%, 100%)', 'white'), WHITE)).toBe(1);
    // Half-transparent black over white is mid grey.
    expect(over(colour('rgba(0, 0, 0, 0.5)', 'black 50%'), WHITE).r).toBeCloseTo(127.5, 5);
    expect(parseColour('currentcolor')).toBeNull();
  });
});

describe('text contrast (4.5:1)', () => {
  it('every text colour against every background it is drawn on', () => {
    const low: string[] = [];
    // Rules that set both: the text on its own background.
    for (const r of rules) {
      const c = r.decls.get('color');
      const bg = backgroundOf(r, resolve);
      if (c === undefined || bg === null || r.selectors.every(onlyDisabled)) continue;
      const fg = colour(resolve(c), `${r.selectors[0]} color`);
      const b = colour(bg, `${r.selectors[0]} background`);
      if (fg.a === 0 || b.a === 0) continue;
      const x = ratio(fg, b);
      if (x < 4.5) low.push(`${r.selectors.join(', ')} (${r.source}): ${resolve(c)} on ${bg} is ${fmt(x)}:1`);
    }
    for (const t of TEXT) {
      const fg = textColour(t.fg);
      const alpha = t.opacity ? Number(declared(t.opacity, 'opacity') ?? '1') : 1;
      for (const on of t.on) {
        const bg = background(on);
        const x = ratio({ ...fg, a: fg.a * alpha }, bg);
        if (x < 4.5) low.push(`${t.fg}${t.opacity ? ` (at ${t.opacity}'s opacity ${alpha})` : ''} on ${on}: ${fmt(x)}:1`);
      }
    }
    expect(low).toEqual([]);
  });

  it('the charts\' axis labels', () => {
    expect(contrast(colour(AXIS.fill, 'AXIS.fill'), background('.pane'))).toBeGreaterThanOrEqual(4.5);
  });

  it('every colour the stylesheets declare is in the lists above', () => {
    const textKeys = new Set(TEXT.map((t) => t.fg));
    const bgKeys = new Set([...TEXT.flatMap((t) => t.on), ...FOCUS.flatMap((f) => f.on), ...NO_TEXT]);
    const focusKeys = new Set(FOCUS.map((f) => f.rule));
    const missing: string[] = [];
    for (const r of rules) {
      if (r.selectors.includes(':root') || r.selectors.every(onlyDisabled)) continue;
      const name = `${r.selectors.join(', ')} (${r.source})`;
      const c = r.decls.get('color');
      const fg = c === undefined ? null : parseColour(resolve(c));
      const bg = backgroundOf(r, resolve);
      const solidBg = bg !== null && (parseColour(bg)?.a ?? 0) > 0;
      if (r.selectors.some(isFocusSelector)) {
        if (indicatorColours(r).length > 0 && !r.selectors.some((s) => focusKeys.has(s))) missing.push(`focus indicator ${name}: add it to FOCUS`);
        continue;
      }
      // Text on its own background is checked as it is; other text needs its backgrounds listed.
      if (fg !== null && fg.a > 0 && !solidBg && !r.selectors.some((s) => textKeys.has(s))) missing.push(`text colour ${name}: add it to TEXT`);
      if (solidBg && (fg === null || fg.a === 0) && !r.selectors.some((s) => bgKeys.has(s))) missing.push(`background ${name}: add it to TEXT (or NO_TEXT)`);
    }
    expect(missing).toEqual([]);
  });
});

describe('focus indicators (3:1)', () => {
  it('each focus indicator against the surfaces around it', () => {
    const low: string[] = [];
    for (const f of FOCUS) {
      const drawn = rulesFor(f.rule).flatMap(indicatorColours);
      if (drawn.length === 0) throw new Error(`${f.rule} draws no indicator`);
      for (const on of f.on) {
        const bg = background(on);
        // The indicator is its strongest part (an outline beside a tinted background, say).
        const best = Math.max(...drawn.map((d) => ratio(d.c, bg)));
        if (best < 3) low.push(`${f.rule} on ${on}: ${fmt(best)}:1`);
      }
    }
    expect(low).toEqual([]);
  });
});

/** Every `{ …, bg: '#…', fg: '#…', … }` colouring rule literal in the app's source (defaults, new-rule template). */
function ruleLiterals(): Array<{ where: string; bg: string; fg: string }> {
  const out: Array<{ where: string; bg: string; fg: string }> = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/\bbg:\s*'(#[0-9a-fA-F]{6})',\s*fg:\s*'(#[0-9a-fA-F]{6})'/g)) out.push({ where: relative(WEB, p), bg: m[1], fg: m[2] });
      }
    }
  };
  walk(WEB);
  return out;
}

describe('colouring rules', () => {
  const found = ruleLiterals();
  const hover = /brightness\(\s*([\d.]+)\s*\)/.exec(declared('.gr.ruled:hover', 'filter') ?? '');
  const dim = (c: Rgba, k: number): Rgba => ({ r: Math.min(255, c.r * k), g: Math.min(255, c.g * k), b: Math.min(255, c.b * k), a: c.a });

  it('finds the default rules in the source', () => {
    for (const r of DEFAULT_RULES) expect(found).toContainEqual({ where: 'filter/rules.ts', bg: r.bg, fg: r.fg });
    expect(hover).not.toBeNull();
  });

  it('rule text on rule background, also on a hovered row; the focus ring beside a coloured row', () => {
    const k = Number(hover?.[1] ?? 1);
    const ring = colour(declared('.grid-scroll:focus-visible .gr.sel', 'outline')?.match(COLOUR_TOKEN)?.[0] ?? '', 'row focus ring');
    const low: string[] = [];
    for (const r of found) {
      const fg = colour(r.fg, r.where);
      const bg = colour(r.bg, r.where);
      if (contrast(fg, bg) < 4.5) low.push(`${r.where}: ${r.fg} on ${r.bg} is ${fmt(contrast(fg, bg))}:1`);
      if (contrast(dim(fg, k), dim(bg, k)) < 4.5) low.push(`${r.where}: ${r.fg} on ${r.bg} hovered is ${fmt(contrast(dim(fg, k), dim(bg, k)))}:1`);
      if (contrast(ring, bg) < 3) low.push(`${r.where}: the focus ring on ${r.bg} is ${fmt(contrast(ring, bg))}:1`);
    }
    expect(low).toEqual([]);
  });
});
