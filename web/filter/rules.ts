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

/** A UDP checksum of 0 over IPv4 is "no checksum" (allowed): checksum.zero leaves it out, so no default rule colours it. */
export const NO_CHECKSUM_NOTE = 'zero here is a checksum of 0 where one is required; a UDP checksum of 0 over IPv4 means "no checksum" '
  + '(RFC 768; RFC 7348 recommends it for VXLAN, RFC 8926 allows it for Geneve): allowed, not matched, so the row is not coloured for it';

const USES_ZERO = /\bchecksum\.zero\b/;

/** The legend's tooltip for a rule: its filter, and what checksum.zero means when the rule uses it. */
export function ruleTitle(r: ColourRule): string {
  return USES_ZERO.test(r.filter) ? `${r.filter}\n${NO_CHECKSUM_NOTE}` : r.filter;
}

/** Whether the legend should say how "no checksum" rows look: some enabled rule colours zero checksums. */
export function legendNotesNoChecksum(rules: readonly ColourRule[]): boolean {
  return rules.some((r) => r.enabled && USES_ZERO.test(r.filter));
}

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
