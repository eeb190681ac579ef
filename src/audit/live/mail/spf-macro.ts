/**
 * SPF macros (RFC 7208 7) and the sender's address as check_host() sees it. A macro is expanded
 * only when every letter it uses is known: the audit evaluates a domain's policy, so it knows
 * `d` and `o` always, `i`, `v` and `p` when given a sender address, and `s`, `l`, `h` only when
 * given a sender and a HELO name. Otherwise the term stays a macro: counted, not looked up.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface SpfSender {
  /** The connecting client's address (already through senderAddress). */
  ip?: string | undefined;
  /** The MAIL FROM identity, `local@domain` (RFC 7208 4.3: `postmaster` when the local part is empty). */
  sender?: string | undefined;
  /** The HELO/EHLO name. */
  helo?: string | undefined;
}

/** What the letters stand for while one record is read: the sender plus `d`, `o` and `p`. */
export interface MacroValues extends SpfSender {
  /** The record's own domain (`d`). */
  domain: string;
  /** The domain whose policy is evaluated: `o` when no sender is given. */
  origin: string;
  /** The validated name of `ip` (`p`), once looked up. */
  validated?: string | undefined;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail included), or null. */
function groups6(ip: string): number[] | null {
  if (!isIPv6(ip)) return null;
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = (v4[1] as string).split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const part = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = tail === undefined ? [] : part(tail);
  return [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/**
 * The address check_host() works with: an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) is IPv4
 * (RFC 7208 5, item 9.2: it matches ip4 terms and A records only). Other addresses are kept.
 */
export function senderAddress(ip: string): string {
  const g = groups6(ip);
  if (!g || g.slice(0, 5).some((x) => x !== 0) || g[5] !== 0xffff) return ip;
  const [hi = 0, lo = 0] = g.slice(6);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Whether two addresses are the same (IPv6 in any spelling: `CAFE:BABE::1` is `cafe:babe:0::1`). */
export function sameAddress(a: string, b: string): boolean {
  const [x, y] = [groups6(a), groups6(b)];
  return x && y ? x.every((g, i) => g === y[i]) : a === b;
}

/** `i` (RFC 7208 7.3): dotted quad, or for IPv6 the 32 nibbles separated by dots. */
function dotted(ip: string): string {
  const g = groups6(ip);
  if (!g) return ip;
  return [...g.map((x) => x.toString(16).padStart(4, '0')).join('')].join('.');
}

/** The PTR query name of an address (`%{ir}.%{v}.arpa`). */
export function reverseName(ip: string): string {
  return `${dotted(ip).split('.').reverse().join('.')}.${isIPv4(ip) ? 'in-addr' : 'ip6'}.arpa`;
}

/** RFC 3986 unreserved characters stay; every other byte becomes %XX (an upper-case macro letter). */
const urlEscape = (s: string) => [...Buffer.from(s)].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

function letter(c: string, v: MacroValues): string | null {
  const at = v.sender?.lastIndexOf('@') ?? -1;
  // RFC 7208 4.3: a sender without a local part is postmaster at its domain.
  const local = v.sender === undefined ? null : v.sender.slice(0, Math.max(at, 0)) || 'postmaster';
  const origin = v.sender && at >= 0 ? v.sender.slice(at + 1) : v.origin;
  switch (c) {
    case 's': return local === null ? null : `${local}@${origin}`;
    case 'l': return local;
    case 'o': return origin;
    case 'd': return v.domain;
    case 'i': return v.ip ? dotted(v.ip) : null;
    case 'v': return v.ip ? (isIPv4(v.ip) ? 'in-addr' : 'ip6') : null;
    case 'h': return v.helo ?? null;
    case 'p': return v.validated ?? null;
    default: return null;
  }
}

/** Whether `spec` uses the `p` letter (its value needs lookups: only then are they made). */
export const usesValidatedName = (spec: string) => /%\{p/i.test(spec);

/**
 * The domain-spec with its macros expanded (RFC 7208 7.3, 7.4), or null when a letter's value is
 * not known. Over 253 characters, labels are dropped from the left until it fits. The `r` is
 * case-insensitive (RFC 5234 2.3: ABNF literals are); a zero digit never gets here (spf-parse).
 */
export function expandDomain(spec: string, v: MacroValues): string | null {
  let unknown = false;
  const out = spec.replace(/%(?:\{([a-zA-Z])(\d*)([rR]?)([.\-+,/_=]*)\}|%|_|-)/g, (m, l?: string, digits?: string, rev?: string, delims?: string) => {
    if (m === '%%') return '%';
    if (m === '%_') return ' ';
    if (m === '%-') return '%20';
    const value = letter((l as string).toLowerCase(), v);
    if (value === null) return ((unknown = true), '');
    const seps = delims || '.';
    let parts = value.split(new RegExp(`[${seps.replace(/[-\\\]^/]/g, '\\$&')}]`));
    if (rev) parts = parts.reverse();
    if (digits) parts = parts.slice(-Number(digits));
    const joined = parts.join('.');
    return l === (l as string).toUpperCase() ? urlEscape(joined) : joined;
  });
  if (unknown) return null;
  let name = out.replace(/\.$/, '');
  while (name.length > 253 && name.includes('.')) name = name.slice(name.indexOf('.') + 1);
  return name;
}
