/**
 * One comparable text form per record value, the record model's own (`normaliseValue` in
 * src/domain): both the API's values and the wire's RDATA go through it, so "in sync" means the
 * same thing here as in a diff. The wire side is first written out in the API's text format
 * (TXT as the joined text itself, as the API holds it), then normalised.
 * MX and SRV carry their priority in front (`10 mail.example.com.`), because the API keeps it
 * in a separate field but a nameserver serving the wrong priority is not in sync.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { normaliseName, parseRecordType, normaliseValue } from '../domain/model.js';
import { ambiguousApiName } from '../domain/names.js';
import { escapeBytes, joinedText, quoteText } from '../domain/charstring.js';
import { canonicalName } from './names.js';
import { comparableValue } from '../domain/values.js';

const isNumber = (s: string | undefined) => s !== undefined && /^\d+$/.test(s);

/**
 * The canonical form of a value in the API's format. `priority` is the API's separate field;
 * a value that already starts with it (`10 mail.example.com`, `1 10 5060 sip.example.com`) is
 * accepted too. Without any priority, MX/SRV values are compared without it.
 */
export function canonicalValue(type: string, value: string, priority: number | null | undefined, zone: string): string {
  const t = parseRecordType(type);
  if (t === null) return value.trim().split(/\s+/).join(' ');
  const parts = value.trim().split(/\s+/);
  let prio = priority ?? null;
  let rest = value;
  if (t === 'MX' && parts.length === 2 && isNumber(parts[0])) [prio, rest] = [prio ?? Number(parts[0]), parts[1] as string];
  if (t === 'SRV' && parts.length === 4 && isNumber(parts[0])) [prio, rest] = [prio ?? Number(parts[0]), parts.slice(1).join(' ')];
  // Compared, not shown: CAA tags in any case (RFC 8659 4.1) are the same tag.
  const normal = comparableValue(t, normaliseValue(t, rest, zone).value);
  return (t === 'MX' || t === 'SRV') && prio !== null ? `${prio} ${normal}` : normal;
}

/** With expected MX/SRV values given without priorities, the wire's priorities are ignored too. */
export function comparisonKey(type: string, canonical: string, dropPriority: boolean): string {
  const t = type.toUpperCase();
  return dropPriority && (t === 'MX' || t === 'SRV') ? canonical.replace(/^\d+ /, '') : canonical;
}

export function lacksPriority(type: string, canonical: string): boolean {
  const t = type.toUpperCase();
  const n = canonical.split(' ').length;
  return (t === 'MX' && n === 1) || (t === 'SRV' && n === 3);
}

/** A record as the API returns it, reduced to what the comparison needs. */
export interface ApiRecordLike {
  record_type: string;
  value: string;
  priority?: number | null | undefined;
}

/** Expected values for a record set from the API's records (priority folded in). */
export function expectedFromRecords(records: ApiRecordLike[], zone: string): string[] {
  return records.map((r) => canonicalValue(r.record_type, r.value, r.priority ?? null, zone));
}

/** A record set to check: owner name relative to the zone, type, and the values the API holds. */
export interface ExpectedSet {
  name: string;
  recordType: string;
  expected: string[];
}

/**
 * The API's records grouped into record sets (normalised name, type), in first-seen order. A record
 * whose name reads two ways (names.ts ambiguousApiName, issue 17.3) is left out: no owner can be
 * expected to serve it, and counting it at either would keep a check pending forever.
 */
export function recordSets(records: Array<ApiRecordLike & { name: string }>, zone: string): ExpectedSet[] {
  const groups = new Map<string, { name: string; recordType: string; records: ApiRecordLike[] }>();
  for (const r of records) {
    if (ambiguousApiName(r.name, zone) !== null) continue;
    const name = normaliseName(r.name, zone);
    const key = `${name}|${r.record_type}`;
    const g = groups.get(key) ?? { name, recordType: r.record_type, records: [] };
    g.records.push(r);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ name: g.name, recordType: g.recordType, expected: expectedFromRecords(g.records, zone) }));
}

const abs = (n: unknown) => {
  const c = canonicalName(String(n));
  return c === '.' ? '.' : `${c}.`;
};

/** A decoded RDATA (dns-packet's shape) in canonical form; null when it is not usable. */
export function wireValue(type: string, data: unknown): string | null {
  const d = (data ?? {}) as Record<string, unknown>;
  const api = (text: string, prio?: unknown) => canonicalValue(type, text, prio === undefined ? undefined : Number(prio), '.');
  switch (type) {
    case 'A': return typeof data === 'string' && isIPv4(data) ? data : null;
    case 'AAAA': return typeof data === 'string' && isIPv6(data) ? api(data) : null;
    case 'CNAME': case 'NS': return typeof data === 'string' ? api(abs(data)) : null;
    case 'PTR': case 'DNAME': return typeof data === 'string' ? abs(data) : null;
    case 'MX': return api(abs(d['exchange']), d['preference'] ?? 0);
    case 'SRV': return api(`${Number(d['weight'] ?? 0)} ${Number(d['port'])} ${abs(d['target'])}`, d['priority'] ?? 0);
    case 'CAA': return api(`${Number(d['flags'] ?? 0)} ${String(d['tag'])} ${quoteText(String(d['value']))}`);
    case 'DS': return `${Number(d['keyTag'])} ${Number(d['algorithm'])} ${Number(d['digestType'])} ${Buffer.isBuffer(d['digest']) ? d['digest'].toString('hex').toUpperCase() : ''}`;
    case 'SOA': return `${abs(d['mname'])} ${abs(d['rname'])} ${[d['serial'], d['refresh'], d['retry'], d['expire'], d['minimum']].map(Number).join(' ')}`;
    case 'TXT': {
      // The wire's character-strings joined are the API's text itself; bytes that are not UTF-8
      // cannot be any API text, so they are shown escaped (and never match).
      const chunks = (Array.isArray(data) ? data : [data]).map((c) => (Buffer.isBuffer(c) ? c : Buffer.from(String(c))));
      return joinedText(chunks) ?? chunks.map((c) => `"${escapeBytes(c)}"`).join(' ');
    }
    default: return Buffer.isBuffer(data) ? `\\# ${data.length} ${data.toString('hex')}` : (JSON.stringify(data) ?? null);
  }
}

/** The serial out of a canonical SOA value. */
export function soaSerial(value: string): number | null {
  const n = Number(value.split(' ')[2]);
  return Number.isInteger(n) ? n : null;
}
