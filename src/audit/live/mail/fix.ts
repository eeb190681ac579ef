/**
 * Fix calls for mail findings: the exact `apply_zone` arguments (dry run, upsert) that make one
 * record set what it should be. Upsert makes each (name, type) set it names exactly the given
 * records, so the other records of that set (a site-verification TXT beside the SPF record)
 * are carried over unchanged.
 */
import type { AuditRecord, Severity } from '../../types.js';
import type { LiveFinding, LiveFix } from '../types.js';
import { DEFAULT_TTL, upsertFix, type DesiredRecord } from '../../fix.js';

export { instruction } from '../../fix.js';

/** Relative owner name of `fqdn` in `zone` (`@` for the apex), as the API writes it. */
export function relName(fqdn: string, zone: string): string {
  const n = fqdn.toLowerCase().replace(/\.$/, '');
  const z = zone.toLowerCase().replace(/\.$/, '');
  if (n === z) return '@';
  return n.endsWith(`.${z}`) ? n.slice(0, -z.length - 1) : n;
}

export const fqdnOf = (name: string, zone: string): string => (name === '@' || name === '' ? zone : `${name}.${zone}`).toLowerCase();

export const at = (records: readonly AuditRecord[], name: string, type: string): AuditRecord[] =>
  records.filter((r) => r.record_type.toUpperCase() === type && r.name.toLowerCase() === name.toLowerCase());

const desired = (r: AuditRecord): DesiredRecord => ({ name: r.name, record_type: r.record_type.toUpperCase(), value: r.value, ttl: r.ttl, ...(r.priority !== undefined && r.priority !== null ? { priority: r.priority } : {}) });

/**
 * The set (name, type) as `keep` leaves it plus `add`: one apply_zone dry run. `sets` may name
 * several sets (the parked-domain recipe changes three at once).
 */
export function applySets(zone: string, records: readonly AuditRecord[], sets: { name: string; type: string; keep?: (r: AuditRecord) => boolean; add: Omit<DesiredRecord, 'name' | 'record_type'>[] }[], tradeoff?: string): LiveFix {
  const out: DesiredRecord[] = [];
  for (const s of sets) {
    const current = at(records, s.name, s.type);
    const ttl = current[0]?.ttl ?? DEFAULT_TTL;
    out.push(...current.filter((r) => s.keep?.(r) ?? false).map(desired));
    out.push(...s.add.map((v) => ({ name: s.name, record_type: s.type, ttl, ...v })));
  }
  return upsertFix(zone, out, tradeoff);
}

/** The TXT set at `name` with the records `test` picks replaced by `value` (or just removed when null). */
export function replaceTxt(zone: string, records: readonly AuditRecord[], name: string, test: (text: string) => boolean, value: string | null, tradeoff?: string): LiveFix {
  return applySets(zone, records, [{ name, type: 'TXT', keep: (r) => !test(r.value), add: value === null ? [] : [{ value }] }], tradeoff);
}

export function finding(severity: Severity, code: string, name: string, message: string, fix: string, fix_call: LiveFix, records: AuditRecord[] = []): LiveFinding {
  return { severity, code, name, message, fix, fix_call, records };
}
