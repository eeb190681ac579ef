import type { RecordType } from '../api/types.js';
import { canonicalIPv6 } from './ip.js';
import { decodeEscapes, bytesToText, parseQuotedSequence, quoteLight } from './charstring.js';
import { readTarget, apiHost } from './targets.js';

export interface NormalisedValue {
  value: string;
  notes: string[];
}

/** SRV value `weight port target` split; null when it is not three blank-separated fields. */
export function splitSrv(value: string): { weight: string; port: string; target: string } | null {
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 3) return null;
  const [weight = '', port = '', target = ''] = parts;
  return { weight, port, target };
}

export interface CaaParts {
  flags: string;
  tag: string;
  value: string;
}

/** CAA `flags tag value` with the value quoted (escapes allowed) or bare; null when malformed. */
export function splitCaa(input: string): CaaParts | null {
  const m = /^\s*([0-9]+)\s+([A-Za-z0-9]+)\s+([\s\S]*?)\s*$/.exec(input);
  if (!m) return null;
  const [, flags = '', tag = '', rest = ''] = m;
  if (!rest.startsWith('"')) {
    if (rest === '' || /\s/.test(rest)) return null;
    return { flags, tag, value: rest };
  }
  const body = /^"((?:[^"\\]|\\[\s\S])*)"$/.exec(rest);
  if (!body) return null;
  const text = bytesToText(decodeEscapes(body[1] ?? ''));
  return text === null ? null : { flags, tag, value: text };
}

/** A canonical value as compared: equal for values that are the same data (CAA tags in any case). */
export function comparableValue(type: string, value: string): string {
  if (type !== 'CAA') return value;
  const caa = splitCaa(value);
  return caa ? `${Number(caa.flags)} ${caa.tag.toLowerCase()} ${quoteLight(caa.value)}` : value;
}

const noNotes = (value: string): NormalisedValue => ({ value, notes: [] });

/**
 * The canonical, comparable form of a value: equal records have equal strings.
 * Invalid input is returned trimmed and otherwise untouched, for validation to report.
 */
export function normaliseValue(type: RecordType, value: string, zone: string): NormalisedValue {
  switch (type) {
    case 'A':
      return noNotes(value.trim());
    case 'AAAA':
      return noNotes(canonicalIPv6(value.trim()) ?? value.trim().toLowerCase());
    case 'CNAME':
    case 'NS':
    case 'MX':
      return readTarget(value, zone);
    case 'SRV': {
      const srv = splitSrv(value);
      if (!srv || !/^[0-9]+$/.test(srv.weight) || !/^[0-9]+$/.test(srv.port)) return noNotes(value.trim());
      const target = readTarget(srv.target, zone);
      return { value: `${Number(srv.weight)} ${Number(srv.port)} ${target.value}`, notes: target.notes };
    }
    case 'CAA': {
      const caa = splitCaa(value);
      // The tag is kept as written (issue 17.6); comparableValue compares it in any case (RFC 8659 4.1).
      return noNotes(caa ? `${Number(caa.flags)} ${caa.tag} ${quoteLight(caa.value)}` : value.trim());
    }
    case 'TXT':
      // The API's TXT value is the text itself (contract, "Values by type"): the model's value too,
      // so it is never read as zone-file quoting here (see inputValue for a tool's input).
      return noNotes(value);
    default:
      // A type the provider does not document (the API may grow one): compared as given, never a crash.
      return noNotes(String(value).trim());
  }
}

/**
 * A value as a tool's caller wrote it, read once into the model's value: TXT may be given in
 * zone-file quoting (`"v=DKIM1; " "p=..."`, as DNS consoles show it), decoded here and nowhere
 * else. Values handed back to callers that could be read that way are quoted (handOffValue).
 */
export function inputValue(type: RecordType, value: string): NormalisedValue {
  if (type !== 'TXT') return noNotes(value);
  const joined = parseQuotedSequence(value);
  if (joined === null) return noNotes(value);
  return { value: joined, notes: /"\s+"/.test(value.trim()) ? ['TXT given as several quoted strings: stored as their joined text'] : [] };
}

/** The model's value in a form inputValue reads back unchanged: TXT text that starts with `"` is quoted. */
export function handOffValue(type: RecordType, value: string): string {
  return type === 'TXT' && value.trimStart().startsWith('"') ? quoteLight(value) : value;
}

/** The value as the provider wants it: hostnames without the trailing dot, TXT as plain text. */
export function apiValue(type: RecordType, value: string): string {
  switch (type) {
    case 'CNAME':
    case 'NS':
    case 'MX':
      return apiHost(value);
    case 'SRV': {
      const srv = splitSrv(value);
      return srv ? `${srv.weight} ${srv.port} ${apiHost(srv.target)}` : value;
    }
    default:
      return value;
  }
}
