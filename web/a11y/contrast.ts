// WCAG 2.x contrast: relative luminance of sRGB colours and the ratio between two of them. Colours are
// CSS text (#rgb, #rrggbb, #rrggbbaa, rgb()/rgba(), hsl()/hsla(), white/black/transparent).

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** 0..1 */
  a: number;
}

const NAMED: Record<string, Rgba> = {
  white: { r: 255, g: 255, b: 255, a: 1 },
  black: { r: 0, g: 0, b: 0, a: 1 },
  transparent: { r: 0, g: 0, b: 0, a: 0 },
};

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}

/** The colour a CSS colour value names, or null when it is not one this understands. */
export function parseColour(text: string): Rgba | null {
  const s = text.trim().toLowerCase();
  if (s in NAMED) return { ...NAMED[s] };
  let m = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(s);
  if (m) {
    let h = m[1];
    if (h.length <= 4) h = [...h].map((c) => c + c).join('');
    const n = (i: number): number => parseInt(h.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) / 255 : 1 };
  }
  m = /^(rgba?|hsla?)\(\s*([^)]*)\)$/.exec(s);
  if (!m) return null;
  const parts = m[2].split(/\s*[,/]\s*|\s+/).filter((p) => p !== '');
  if (parts.length < 3 || parts.length > 4) return null;
  const num = (p: string, scale: number): number => (p.endsWith('%') ? (parseFloat(p) / 100) * scale : parseFloat(p));
  const a = parts.length === 4 ? Math.min(1, Math.max(0, num(parts[3], 1))) : 1;
  let rgb: [number, number, number];
  if (m[1].startsWith('rgb')) rgb = [num(parts[0], 255), num(parts[1], 255), num(parts[2], 255)];
  else rgb = hslToRgb(((parseFloat(parts[0]) % 360) + 360) % 360, num(parts[1], 1), num(parts[2], 1));
  if (rgb.some((v) => !Number.isFinite(v)) || !Number.isFinite(a)) return null;
  return { r: rgb[0], g: rgb[1], b: rgb[2], a };
}

/** `top` painted over the opaque `under` (alpha compositing in sRGB, as browsers do). */
export function over(top: Rgba, under: Rgba): Rgba {
  const mix = (t: number, u: number): number => t * top.a + u * (1 - top.a);
  return { r: mix(top.r, under.r), g: mix(top.g, under.g), b: mix(top.b, under.b), a: 1 };
}

function channel(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function luminance(c: Rgba): number {
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

/** The WCAG contrast ratio (1..21) of two opaque colours. */
export function contrast(a: Rgba, b: Rgba): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
