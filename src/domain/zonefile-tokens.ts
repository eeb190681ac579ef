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

// RFC 3597 5: `TYPEn` and `CLASSn` name any type or class by number; BIND reads them as the
// mnemonic when it knows one (`TYPE1` is A). Numbers from the IANA DNS parameters registry.
const TYPE_NUMBERS: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 35: 'NAPTR', 39: 'DNAME', 43: 'DS', 44: 'SSHFP', 48: 'DNSKEY', 52: 'TLSA', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 257: 'CAA' };
const CLASS_NUMBERS: Record<number, string> = { 1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS' };
const CLASS_NAMES = new Set(Object.values(CLASS_NUMBERS));

function generic(text: string, prefix: string, names: Record<number, string>): string | null {
  const m = new RegExp(`^${prefix}([0-9]{1,5})$`).exec(text.toUpperCase());
  if (!m) return null;
  const n = Number(m[1]);
  return n > 65535 ? null : (names[n] ?? `${prefix}${n}`);
}

/** A record type token as its mnemonic (`a`, `TYPE1` -> `A`; `TYPE65280` stays so). */
export function typeMnemonic(text: string): string {
  return generic(text, 'TYPE', TYPE_NUMBERS) ?? text.toUpperCase();
}

/** A class token as its mnemonic (`in`, `CLASS1` -> `IN`); null when the token is not a class. */
export function classMnemonic(text: string): string | null {
  const t = text.toUpperCase();
  if (CLASS_NAMES.has(t)) return t;
  return generic(t, 'CLASS', CLASS_NUMBERS);
}
