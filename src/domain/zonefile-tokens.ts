import type { Token } from './zonefile-lexer.js';
import { decodeEscapes, joinedText } from './charstring.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `3600`, `1h`, `1h30m`, `1W` -> seconds; null when not a TTL. */
export function parseTtl(s: string): number | null {
  if (/^[0-9]+$/.test(s)) return Number(s);
  if (!/^([0-9]+[smhdw])+$/i.test(s)) return null;
  let total = 0;
  for (const m of s.matchAll(/([0-9]+)([smhdw])/gi)) total += Number(m[1]) * (UNITS[(m[2] ?? 's').toLowerCase()] ?? 1);
  return total;
}

/** A name token made absolute against `origin`; null when it uses escapes we do not accept. */
export function absoluteName(tok: Token, origin: string): string | null {
  if (tok.quoted || tok.text.includes('\\')) return null;
  const t = tok.text.toLowerCase();
  if (t === '@') return origin;
  if (t.endsWith('.')) return t;
  return origin === '.' ? `${t}.` : `${t}.${origin}`;
}

/** Decodes tokens as one TXT/CAA text (their bytes joined); null when not valid UTF-8. */
export function tokensText(toks: Token[]): string | null {
  return joinedText(toks.map((t) => decodeEscapes(t.text)));
}
