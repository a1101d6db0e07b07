// A small reader for the app's own stylesheets (flat rules, custom properties on :root, no nesting or
// @media): each rule's selectors and declarations, with var(--x) resolved. Used by the contrast test.

export interface CssRule {
  selectors: string[];
  decls: Map<string, string>;
  /** Where the rule came from, for messages. */
  source: string;
}

function norm(selector: string): string {
  return selector.trim().replace(/\s+/g, ' ');
}

export function parseCss(text: string, source: string): CssRule[] {
  const body = text.replace(/\/\*[\s\S]*?\*\//g, '');
  if (/@media|@supports|@layer/.test(body)) throw new Error(`${source}: at-rules are not read by this parser`);
  const out: CssRule[] = [];
  const re = /([^{}]+)\{([^{}]*)\}/g;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    const decls = new Map<string, string>();
    for (const d of m[2].split(';')) {
      const i = d.indexOf(':');
      if (i < 0) continue;
      decls.set(d.slice(0, i).trim().toLowerCase(), d.slice(i + 1).trim().replace(/\s*!important$/, ''));
    }
    out.push({ selectors: m[1].split(',').map(norm), decls, source });
  }
  return out;
}

/** Resolves var(--x) (and var(--x, fallback)) against the custom properties the rules declare on :root. */
export function resolver(rules: readonly CssRule[]): (value: string) => string {
  const vars = new Map<string, string>();
  for (const r of rules) {
    if (!r.selectors.includes(':root')) continue;
    for (const [k, v] of r.decls) if (k.startsWith('--')) vars.set(k, v);
  }
  const resolve = (value: string, depth = 0): string => {
    if (depth > 10) throw new Error(`custom properties refer to each other in a loop: ${value}`);
    return value.replace(/var\(\s*(--[\w-]+)\s*(?:,\s*([^)]*))?\)/g, (_, name: string, fallback: string | undefined) => {
      const v = vars.get(name) ?? fallback;
      if (v === undefined) throw new Error(`unknown custom property ${name}`);
      return resolve(v, depth + 1);
    });
  };
  return (value) => resolve(value);
}

/** The solid colour a `background` shorthand or `background-color` sets, if any (a gradient is none). */
export function backgroundOf(rule: CssRule, resolve: (v: string) => string): string | null {
  const v = rule.decls.get('background-color') ?? rule.decls.get('background');
  if (v === undefined) return null;
  const s = resolve(v).trim();
  if (s === 'none' || /gradient|url\(/.test(s)) return null;
  return s;
}

export function normSelector(selector: string): string {
  return norm(selector);
}
