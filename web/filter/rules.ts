// Colouring rules (display filter + colours; the first enabled rule that matches colours a row) and the
// tenant stripe colours. Rules are kept in localStorage; the defaults colour checksum trouble.

export interface ColourRule {
  name: string;
  filter: string;
  /** Background and text colours, #rrggbb. */
  bg: string;
  fg: string;
  enabled: boolean;
}

export const DEFAULT_RULES: readonly ColourRule[] = [
  { name: 'Bad checksum', filter: 'checksum.bad', bg: '#fcdede', fg: '#8a1616', enabled: true },
  { name: 'Partial or zero checksum', filter: 'checksum.partial || checksum.zero', bg: '#fdf0c4', fg: '#6b4a00', enabled: true },
];

const KEY = 'tunnelscope.colour-rules';
const HEX = /^#[0-9a-f]{6}$/i;

function valid(r: unknown): r is ColourRule {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Record<string, unknown>;
  return typeof o.name === 'string' && typeof o.filter === 'string' && typeof o.bg === 'string' && HEX.test(o.bg)
    && typeof o.fg === 'string' && HEX.test(o.fg) && typeof o.enabled === 'boolean';
}

export function loadRules(): ColourRule[] {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw === null) return DEFAULT_RULES.map((r) => ({ ...r }));
    const v: unknown = JSON.parse(raw);
    if (Array.isArray(v) && v.every(valid)) return v.map((r) => ({ ...r }));
  } catch {
    // fall through to the defaults
  }
  return DEFAULT_RULES.map((r) => ({ ...r }));
}

export function saveRules(rules: readonly ColourRule[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(rules));
  } catch {
    // storage full or disabled: the rules apply for this session only
  }
}

const ENCAP_HUE: Record<string, number> = { nvgre: 0, vxlan: 61, geneve: 187, gre: 293 };

/**
 * The stripe colour of a tenant (`nvgre:5001`): a hue from its id by the golden angle, so neighbouring
 * ids (5001, 5002, …) get far-apart hues, and the same tenant the same colour in every session.
 */
export function tenantColour(key: string): string {
  const [encap, id] = key.split(':');
  let n = Number(id);
  if (id === '' || !Number.isFinite(n)) {
    n = 0;
    for (let i = 0; i < key.length; i++) n = (Math.imul(n, 31) + key.charCodeAt(i)) >>> 0;
  }
  const hue = Math.round((n * 137.508 + (ENCAP_HUE[encap] ?? 0)) % 360);
  return `hsl(${hue}, 62%, 46%)`;
}
