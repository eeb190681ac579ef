import type { Problem } from '../errors.js';
import { recordKey } from './model.js';
import { normaliseName, isInZone } from './names.js';
import type { RecordSpec } from './model.js';
import { escapeForDisplay } from './display.js';

/** `www A 192.0.2.1`, `@ MX 10 mail.example.com.`: how messages name a record. */
export function describeRecord(r: RecordSpec): string {
  const prio = r.priority !== null && (r.record_type === 'MX' || r.record_type === 'SRV') ? `${r.priority} ` : '';
  const v = r.record_type === 'TXT' ? JSON.stringify(r.value.length > 60 ? `${r.value.slice(0, 57)}...` : r.value) : r.value;
  return escapeForDisplay(`${r.name} ${r.record_type} ${prio}${v}`);
}

/**
 * Rules across records: no CNAME at the apex, a CNAME alone at its name (RFC 1034 3.6.2, RFC 2181
 * 10.1, which also rules out a second CNAME), no duplicate record. `fieldOf(i)` names record i
 * (default `records[i]`). Messages name the records, not indexes, so they compare across sets.
 */
export function validateZoneRecords(records: RecordSpec[], zone: string, fieldOf: (i: number) => string = (i) => `records[${i}]`): Problem[] {
  const out: Problem[] = [];
  const firstOfKey = new Map<string, number>();
  records.forEach((r, i) => {
    const key = recordKey(r);
    if (firstOfKey.has(key)) {
      out.push({ field: fieldOf(i), rule: 'duplicate', message: `${describeRecord(r)} is listed more than once: keep one` });
    } else firstOfKey.set(key, i);
  });
  const byName = new Map<string, number[]>();
  for (const i of firstOfKey.values()) {
    const r = records[i];
    if (!r) continue;
    if (r.record_type === 'CNAME' && r.name === '@') {
      out.push({ field: `${fieldOf(i)}.name`, rule: 'cname_at_apex', message: `${describeRecord(r)}: a CNAME cannot be at the zone apex, which holds the SOA and NS records; use A/AAAA records there`, example: 'www' });
    }
    byName.set(r.name, [...(byName.get(r.name) ?? []), i]);
  }
  for (const idx of byName.values()) {
    const cnames = idx.filter((i) => records[i]?.record_type === 'CNAME');
    const first = cnames[0];
    const firstRec = first === undefined ? undefined : records[first];
    if (first === undefined || !firstRec || idx.length < 2) continue;
    // Blame the CNAME, which is what cannot share its name; list what it sits beside.
    const others = idx.filter((i) => records[i]?.record_type !== 'CNAME').map((i) => records[i]).filter((r): r is RecordSpec => r !== undefined);
    if (others.length > 0) {
      out.push({
        field: fieldOf(first),
        rule: 'cname_conflict',
        message: `${describeRecord(firstRec)} sits beside ${others.map(describeRecord).join(', ')}: a CNAME must be the only record at its name (RFC 1034 3.6.2); remove the CNAME or the others`,
      });
    }
    for (const i of cnames.slice(1)) {
      const r = records[i];
      if (!r) continue;
      out.push({ field: fieldOf(i), rule: 'cname_conflict', message: `${describeRecord(r)} conflicts with ${describeRecord(firstRec)}: a name has at most one CNAME (RFC 2181 10.1); remove one of them` });
    }
  }
  // BIND refuses to load a zone whose apex NS names a host inside the zone that has no address
  // there (RFC 1034 4.2.2 glue; named-checkzone: "has no address records"), so the provider's
  // nameservers would keep serving the old zone.
  const hasAddress = new Set(records.filter((r) => r.record_type === 'A' || r.record_type === 'AAAA').map((r) => r.name));
  for (const i of firstOfKey.values()) {
    const r = records[i];
    if (!r || r.record_type !== 'NS' || r.name !== '@') continue;
    const target = normaliseName(r.value, zone);
    if (!isInZone(target, zone) || hasAddress.has(target)) continue;
    out.push({ field: fieldOf(i), rule: 'ns_glue', message: `${describeRecord(r)} names a host inside the zone that has no A or AAAA record: add one for ${target}, or the zone will not load`, example: `${target} A 192.0.2.53` });
  }
  return out;
}
