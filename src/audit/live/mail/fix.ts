/**
 * Fix calls for mail findings: the exact `apply_zone` arguments (dry run, upsert) that make one
 * record set what it should be. Upsert makes each (name, type) set it names exactly the given
 * records, so the other records of that set (a site-verification TXT beside the SPF record)
 * are carried over unchanged.
 */
import type { AuditRecord, Severity } from '../../types.js';
import type { LiveFinding, LiveFix } from '../types.js';
import { deleteSetFix, instruction, type DesiredRecord } from '../../fix.js';
import { callName, setFix } from '../../fix-sets.js';
import { ZoneIndex, type Entry } from '../../zone-index.js';
import { normaliseName } from '../../../domain/model.js';

export { instruction };

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

/**
 * The set (name, type) as `keep` leaves it plus `add`: one apply_zone dry run, built as the zone's
 * own findings build theirs (fix-sets.ts setFix: TTL in range, dotted names in full). `sets` may
 * name several sets (the parked-domain recipe changes three at once). An upsert cannot empty a
 * set: a set that would end up empty is deleted instead (whole_set), or said so when others change too.
 */
export function applySets(zone: string, records: readonly AuditRecord[], sets: { name: string; type: string; keep?: (r: AuditRecord) => boolean; add: Omit<DesiredRecord, 'name' | 'record_type'>[] }[], tradeoff?: string): LiveFix {
  const ix = new ZoneIndex(zone, records);
  const changes = sets.map((s) => ({ name: normaliseName(s.name, ix.zone), type: s.type, keep: (e: Entry) => s.keep?.(e.src) ?? false, add: s.add }));
  const fix = setFix(ix, changes, tradeoff);
  if (fix) return fix;
  const emptied = changes.find((c) => !c.add.length && !ix.at(c.name, c.type).some(c.keep));
  const [only] = changes;
  if (changes.length === 1 && only) return deleteSetFix(zone, callName(only.name, ix.zone), only.type, tradeoff ?? `Removes every ${only.type} record at ${only.name}.`);
  return instruction(`Delete the ${emptied?.type} records at ${emptied?.name} (delete_record with whole_set: true), then make the other changes.`);
}

/** The TXT set at `name` with the records `test` picks replaced by `value` (or just removed when null). */
export function replaceTxt(zone: string, records: readonly AuditRecord[], name: string, test: (text: string) => boolean, value: string | null, tradeoff?: string): LiveFix {
  return applySets(zone, records, [{ name, type: 'TXT', keep: (r) => !test(r.value), add: value === null ? [] : [{ value }] }], tradeoff);
}

export function finding(severity: Severity, code: string, name: string, message: string, fix: string, fix_call: LiveFix, records: AuditRecord[] = []): LiveFinding {
  return { severity, code, name, message, fix, fix_call, records };
}
