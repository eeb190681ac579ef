/**
 * SPF record syntax (RFC 7208 section 12 ABNF), term by term. A syntax error anywhere makes
 * the whole record a permerror (RFC 7208 4.6), but receivers find it while reading the record,
 * so the index of the first bad term is kept: a `redirect` before it was already counted.
 * The rules follow the ABNF as Debian's pyspf reads it (the reference the tests grade against).
 */
import { isIPv4, isIPv6 } from 'node:net';

export type Mechanism = 'all' | 'include' | 'a' | 'mx' | 'ptr' | 'ip4' | 'ip6' | 'exists';
export type Qualifier = '+' | '-' | '~' | '?';

export interface SpfTermSyntax {
  text: string;
  kind: Mechanism | 'redirect' | 'exp' | 'modifier';
  qualifier: Qualifier;
  /** The domain-spec (a/mx/ptr default to the record's domain); for ip4/ip6, the address. */
  target: string;
  /** The target holds a macro (`%{i}`): counted, not looked up (the sender is not known). */
  macro: boolean;
  cidr4: number | null;
  cidr6: number | null;
  /** Why this term is invalid, null when it is valid. */
  error: string | null;
}

export interface ParsedSpf {
  terms: SpfTermSyntax[];
  /** Index of the first invalid term (or -1 for a record-level error such as non-ASCII text). */
  errorAt: number | null;
  error: string | null;
}

export const isSpfText = (t: string): boolean => /^v=spf1( |$)/i.test(t);
export const COSTS_LOOKUP: ReadonlySet<string> = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);

const MECHANISMS: readonly string[] = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'];
const TOPLABEL = /\.(?:[0-9a-z]*[a-z][0-9a-z]*|[0-9a-z]+-[0-9a-z-]*[0-9a-z])\.?$/i;
const MACRO_AT_END = /%(?:%|_|-|\{[^}]*\})$/;
const MACRO = /%\{([^}]*)\}/g;
const IP4 = /^(?:(?:\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])\.){3}(?:\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])$/;

/** Macro-string syntax (RFC 7208 7.1): `%{letter digits r delimiters}`, `%%`, `%_`, `%-` only. */
function macroProblem(s: string, inDomain: boolean): string | null {
  if (/(?<!%)%[^{%_-]|%$/.test(s.replace(/%%/g, ''))) return `a "%" that starts no macro in ${s}`;
  for (const m of s.matchAll(MACRO)) {
    const body = m[1] ?? '';
    if (!/^[a-z]\d*r?[.\-+,/_=]*$/i.test(body)) return `malformed macro %{${body}}`;
    // RFC 7208 7.1: "If a DIGIT is specified, the value MUST be nonzero."
    if (/^[a-z]0+(?!\d)/i.test(body)) return `macro %{${body}} keeps zero labels (the digit must be 1 or more)`;
    const letter = body[0]?.toLowerCase() ?? '';
    if (!'slodipvhcrt'.includes(letter)) return `unknown macro letter "${letter}" in %{${body}}`;
    if (inDomain && 'crt'.includes(letter)) return `macro %{${body}} is allowed in exp= text only`;
  }
  return null;
}

/** A domain-spec must end in a top label or a macro (pyspf: "use FQDN"). */
function domainProblem(spec: string): string | null {
  if (spec === '') return 'empty domain';
  const macro = macroProblem(spec, true);
  if (macro) return macro;
  if (!TOPLABEL.test(spec) && !MACRO_AT_END.test(spec)) return `"${spec}" is not a fully qualified domain name`;
  return null;
}

function term(text: string, kind: SpfTermSyntax['kind'], over: Partial<SpfTermSyntax> = {}): SpfTermSyntax {
  return { text, kind, qualifier: '+', target: '', macro: false, cidr4: null, cidr6: null, error: null, ...over };
}

function parseModifier(text: string, name: string, value: string): SpfTermSyntax {
  const n = name.toLowerCase();
  if (n !== 'redirect' && n !== 'exp') return term(text, 'modifier', { target: value, error: macroProblem(value, false) });
  return term(text, n, { target: value.replace(/\.$/, ''), macro: value.includes('%'), error: domainProblem(value) });
}

function cidrs(rest: string): { spec: string; c4: number | null; c6: number | null } {
  let spec = rest;
  let c6: number | null = null;
  let c4: number | null = null;
  const dual = /\/\/(0|[1-9]\d*)$/.exec(spec);
  if (dual) [spec, c6] = [spec.slice(0, dual.index), Number(dual[1])];
  const single = /\/(0|[1-9]\d*)$/.exec(spec);
  if (single) [spec, c4] = [spec.slice(0, single.index), Number(single[1])];
  return { spec, c4, c6 };
}

function parseMechanism(text: string, domain: string): SpfTermSyntax {
  if (text.endsWith(',')) return term(text, 'all', { error: 'terms are separated by spaces, not commas' });
  const q = '+-~?'.includes(text[0] ?? '') ? (text[0] as Qualifier) : '+';
  const { spec, c4, c6 } = cidrs(q === text[0] ? text.slice(1) : text);
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).toLowerCase();
  const arg = colon < 0 ? null : spec.slice(colon + 1);
  if (!MECHANISMS.includes(name)) return term(text, 'all', { qualifier: q, error: `unknown mechanism "${name}"` });
  const kind = name as Mechanism;
  const t = term(text, kind, { qualifier: q, cidr4: c4, cidr6: c6 });
  const fail = (error: string) => ({ ...t, error });
  if (kind === 'ip4' || kind === 'ip6') {
    t.target = arg ?? '';
    if (c6 !== null) return fail('ip4/ip6 take one prefix length, not a dual one');
    if (c4 !== null && c4 > (kind === 'ip4' ? 32 : 128)) return fail(`prefix length /${c4} is too long for ${kind}`);
    if (kind === 'ip4' ? !IP4.test(t.target) : !isIPv6(t.target)) return fail(`"${t.target}" is not an ${kind === 'ip4' ? 'IPv4' : 'IPv6'} address`);
    return t;
  }
  if (kind === 'all') return arg !== null || c4 !== null || c6 !== null ? fail('"all" takes no argument') : t;
  if ((kind === 'a' || kind === 'mx') && ((c4 ?? 0) > 32 || (c6 ?? 0) > 128)) return fail('prefix length too long');
  if (kind !== 'a' && kind !== 'mx' && (c4 !== null || c6 !== null)) return fail(`${kind} takes no prefix length`);
  if (kind === 'exists' && arg === null) return fail('exists needs a domain');
  if (kind === 'include' && arg === null) return fail('include needs a domain');
  t.target = (arg ?? domain).replace(/\.$/, '');
  t.macro = t.target.includes('%');
  if (kind === 'a' && isIPv4(t.target)) return fail('use ip4: for an address, not a:');
  const problem = arg === null ? null : domainProblem(arg);
  if (problem) return fail(problem);
  if (kind === 'include' && t.target.toLowerCase() === domain.toLowerCase()) return fail('include of the record\'s own domain');
  return t;
}

/** Parses one SPF record (text starting `v=spf1`) published at `domain`. */
export function parseSpf(text: string, domain: string): ParsedSpf {
  const terms: SpfTermSyntax[] = [];
  // RFC 7208 3.1 / pyspf: an SPF record is US-ASCII; anything else is a permerror.
  if (/[^\x20-\x7e]/.test(text)) return { terms, errorAt: -1, error: 'the record holds non-ASCII or control characters' };
  let errorAt: number | null = null;
  let error: string | null = null;
  const seen = new Set<string>();
  for (const text1 of text.split(' ').slice(1).filter(Boolean)) {
    const mod = /^([a-z][a-z0-9_\-.]*)=(.*)$/i.exec(text1);
    let t = mod ? parseModifier(text1, mod[1] as string, mod[2] as string) : parseMechanism(text1, domain);
    if ((t.kind === 'redirect' || t.kind === 'exp') && seen.has(t.kind)) t = { ...t, error: `${t.kind}= may appear only once` };
    seen.add(t.kind);
    terms.push(t);
    if (t.error !== null && errorAt === null) [errorAt, error] = [terms.length - 1, `${t.text}: ${t.error}`];
  }
  return { terms, errorAt, error };
}
