import type { RecordType } from '../api/types.js';
import { isIPv4 } from 'node:net';
import { isStrictIPv4, canonicalIPv6 } from './ip.js';
import { nameSyntaxProblems, normaliseZone } from './names.js';
import { utf8Length } from './charstring.js';
import { readTarget } from './targets.js';
import { splitSrv, splitCaa } from './values.js';

export interface ValueProblem {
  field: 'value' | 'priority';
  rule: string;
  message: string;
  example?: string;
}

/** A valid value per type, for the `example` of a problem. */
export const EXAMPLE_VALUES: Record<RecordType, string> = {
  A: '192.0.2.1',
  AAAA: '2001:db8::1',
  CNAME: 'target.example.com',
  MX: 'mail.example.com',
  TXT: 'v=spf1 -all',
  NS: 'ns1.example.com',
  SRV: '10 5060 sip.example.com',
  CAA: '0 issue "letsencrypt.org"',
};

export const MAX_TXT_BYTES = 4096;
export const CAA_TAGS = ['issue', 'issuewild', 'iodef'] as const;

const isInt = (s: string) => /^[0-9]+$/.test(s);

/**
 * Problems with a target hostname, `what` naming it in messages (e.g. "MX target"). Record rules
 * (docs/record-rules.md; the emulator follows the same ones): a target has at least two labels,
 * since the provider stores it without its trailing dot and a single label (`localhost.`) would
 * read back as a name inside the zone; `_` only in CNAME targets (RFC 2181 11 allows it in data,
 * but MX, NS and SRV targets are hosts, RFC 952/1123); "." only where `allowRoot` (an SRV's "no
 * service", RFC 2782). A null MX (RFC 7505) is not documented by the provider: refused.
 */
export function targetProblems(raw: string, zone: string, what: string, opts: { allowRoot: boolean; underscore?: boolean }): Array<{ rule: string; message: string }> {
  const t = raw.trim();
  if (t === '') return [{ rule: 'required', message: `${what} is empty: give a hostname` }];
  if (t === '.') return opts.allowRoot ? [] : [{ rule: 'hostname', message: `${what} "." (the root) is not a host${what.startsWith('MX') ? ': a null MX (RFC 7505) is not accepted by the provider; to refuse mail, remove the MX records and publish TXT "v=spf1 -all"' : ''}` }];
  if (/\s/.test(t)) return [{ rule: 'hostname', message: `${what} "${t}" contains blanks: give one hostname` }];
  if (isIPv4(t) || t.includes(':')) return [{ rule: 'hostname', message: `${what} "${t}" is an IP address; it must be a hostname (point an A/AAAA record at the address and use that name)` }];
  const abs = readTarget(t, zone).value.slice(0, -1);
  const syntax = nameSyntaxProblems(abs, { wildcard: false }).map((p) => ({ rule: p.rule === 'name_syntax' ? 'hostname' : p.rule, message: `${what} "${t}" ${p.message}` }));
  if (syntax.length) return syntax;
  if (!abs.includes('.')) return [{ rule: 'target_single_label', message: `${what} "${t}" is a single label: the provider stores targets without the trailing dot, so it would read back as ${abs}.${normaliseZone(zone)}; give a name of two or more labels` }];
  if (!opts.underscore && abs.includes('_')) return [{ rule: 'hostname', message: `${what} "${t}" contains '_': a ${what.split(' ')[0]} target must be a host name (letters, digits, '-')` }];
  return [];
}

/** C0 controls and DEL: the provider cannot write them into its zone files (docs/record-rules.md). */
export function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function ipv4Problems(v: string): ValueProblem[] {
  if (isStrictIPv4(v)) return [];
  const why = canonicalIPv6(v) ? ' (this is an IPv6 address: use an AAAA record)' : '';
  const zeros = /(^|\.)0[0-9]/.test(v) ? ' (no leading zeros: some resolvers read 010 as octal)' : '';
  return [{ field: 'value', rule: 'ipv4', message: `"${v}" is not an IPv4 address in dotted-quad form, four numbers 0-255${zeros}${why}`, example: EXAMPLE_VALUES.A }];
}

function ipv6Problems(v: string): ValueProblem[] {
  if (canonicalIPv6(v)) return [];
  let why = '';
  if (v.includes('%')) why = ' (a zone id such as %eth0 has no meaning in DNS)';
  else if (isIPv4(v)) why = ' (this is an IPv4 address: use an A record)';
  return [{ field: 'value', rule: 'ipv6', message: `"${v}" is not an IPv6 address${why}`, example: EXAMPLE_VALUES.AAAA }];
}

function srvProblems(v: string, zone: string): ValueProblem[] {
  const srv = splitSrv(v);
  const ex = EXAMPLE_VALUES.SRV;
  if (!srv) {
    const four = v.trim().split(/\s+/);
    const hint = four.length === 4 && isInt(four[0] ?? '') ? ': put the first number (the SRV priority) in `priority`' : '';
    return [{ field: 'value', rule: 'srv_format', message: `SRV value "${v.trim()}" must be \`weight port target\`${hint}`, example: ex }];
  }
  const out: ValueProblem[] = [];
  if (!isInt(srv.weight) || Number(srv.weight) > 65535) out.push({ field: 'value', rule: 'srv_weight', message: `SRV weight "${srv.weight}" must be an integer 0-65535`, example: ex });
  if (!isInt(srv.port) || Number(srv.port) > 65535) out.push({ field: 'value', rule: 'srv_port', message: `SRV port "${srv.port}" must be an integer 0-65535`, example: ex });
  for (const p of targetProblems(srv.target, zone, 'SRV target', { allowRoot: true })) out.push({ field: 'value', ...p, example: ex });
  return out;
}

function caaProblems(v: string): ValueProblem[] {
  const ex = EXAMPLE_VALUES.CAA;
  const caa = splitCaa(v);
  if (!caa) return [{ field: 'value', rule: 'caa_format', message: `CAA value "${v.trim()}" must be \`flags tag "value"\``, example: ex }];
  const out: ValueProblem[] = [];
  if (caa.value.includes('"') || hasControlChar(caa.value)) out.push({ field: 'value', rule: 'caa_value_chars', message: `CAA value ${JSON.stringify(caa.value)} may not hold a double quote or control characters`, example: ex });
  if (Number(caa.flags) > 255) out.push({ field: 'value', rule: 'caa_flags', message: `CAA flags ${caa.flags} must be 0-255 (0, or 128 for critical)`, example: ex });
  const tag = caa.tag.toLowerCase();
  if (!(CAA_TAGS as readonly string[]).includes(tag)) {
    out.push({ field: 'value', rule: 'caa_tag', message: `CAA tag "${caa.tag}" is not one of ${CAA_TAGS.join(', ')}`, example: ex });
  } else if (tag === 'iodef') {
    let ok = false;
    try {
      const u = new URL(caa.value);
      ok = (u.protocol === 'mailto:' && u.pathname.includes('@')) || ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '');
    } catch {
      ok = false;
    }
    if (!ok) out.push({ field: 'value', rule: 'caa_iodef', message: `CAA iodef value "${caa.value}" must be a mailto: or http(s): URL (RFC 8659 4.4)`, example: '0 iodef "mailto:security@example.com"' });
  } else {
    // issue/issuewild: `[issuer-domain] [; params]`; a lone ";" forbids every CA.
    const domain = (caa.value.split(';')[0] ?? '').trim();
    if (domain !== '' && nameSyntaxProblems(domain.toLowerCase(), { wildcard: false }).length > 0) {
      out.push({ field: 'value', rule: 'caa_issuer', message: `CAA ${tag} value "${caa.value}" must start with a CA's domain (such as letsencrypt.org) or be ";" to allow none`, example: ex });
    }
  }
  return out;
}

function txtProblems(v: string): ValueProblem[] {
  const ex = EXAMPLE_VALUES.TXT;
  if (v === '') return [{ field: 'value', rule: 'txt_empty', message: 'TXT value is empty', example: ex }];
  if (hasControlChar(v)) return [{ field: 'value', rule: 'txt_control', message: 'TXT value holds control characters (newline, tab, ...), which the provider refuses: remove them or write them out', example: ex }];
  const n = utf8Length(v);
  if (n > MAX_TXT_BYTES) return [{ field: 'value', rule: 'txt_length', message: `TXT value is ${n} bytes; at most ${MAX_TXT_BYTES} are accepted`, example: ex }];
  return [];
}

/** Every problem with a value of a known type. */
export function valueProblems(type: RecordType, value: string, zone: string): ValueProblem[] {
  const v = value.trim();
  const host = (what: string, allowRoot: boolean, underscore = false) =>
    targetProblems(value, zone, what, { allowRoot, underscore }).map((p): ValueProblem => ({ field: 'value', ...p, example: EXAMPLE_VALUES[type] }));
  switch (type) {
    case 'A':
      return ipv4Problems(v);
    case 'AAAA':
      return ipv6Problems(v);
    case 'CNAME':
      return host('CNAME target', false, true);
    case 'NS':
      return host('NS target', false);
    case 'MX': {
      const parts = v.split(/\s+/);
      if (parts.length === 2 && isInt(parts[0] ?? '')) {
        return [{ field: 'value', rule: 'mx_format', message: `MX value "${v}" holds only the mail server's hostname: put ${parts[0]} in \`priority\``, example: EXAMPLE_VALUES.MX }];
      }
      return host('MX target', false);
    }
    case 'SRV':
      return srvProblems(value, zone);
    case 'CAA':
      return caaProblems(value);
    case 'TXT':
      return txtProblems(value);
  }
}
