/**
 * The live zone read once per judgement (marks.ts, approval-order.ts): its records by owner name,
 * and the names that already take traffic or mail without an address of their own. Marks are
 * asked per change when a plan is ordered for approval, so nothing here may scan the zone again
 * (a held import of 10,000 records into a 20,000-record zone would be 10,000 scans).
 */
import type { CurrentRecord } from '../domain/diff.js';
import type { RecordSpec } from '../domain/model.js';
import { normaliseName } from '../domain/names.js';
import { splitSrv } from '../domain/values.js';

export interface ZoneIndex {
  byName: ReadonlyMap<string, readonly CurrentRecord[]>;
  /** Whether a name answers for traffic or mail it does not hold itself: a wildcard covers it, or a CNAME/MX/SRV in the zone names it. */
  takesTraffic: (name: string) => boolean;
}

const isTarget = (r: RecordSpec) => r.record_type === 'A' || r.record_type === 'AAAA' || r.record_type === 'CNAME';

/** The host a CNAME, MX or SRV record sends its traffic or mail to, or null. */
function targetOf(r: RecordSpec): string | null {
  if (r.record_type === 'CNAME' || r.record_type === 'MX') return r.value;
  if (r.record_type === 'SRV') return splitSrv(r.value)?.target ?? null;
  return null;
}

/** `login` -> `*`, `a.dev` -> `*.dev`: the wildcard that answers for a name at its level. */
const wildcardFor = (name: string) => (name.includes('.') ? `*${name.slice(name.indexOf('.'))}` : '*');

export function indexZone(current: readonly CurrentRecord[], zone: string): ZoneIndex {
  const byName = new Map<string, CurrentRecord[]>();
  const wildcards = new Set<string>();
  const referenced = new Set<string>();
  for (const r of current) {
    const at = byName.get(r.name);
    if (at) at.push(r);
    else byName.set(r.name, [r]);
    if ((r.name === '*' || r.name.startsWith('*.')) && isTarget(r)) wildcards.add(r.name);
    const t = targetOf(r);
    // Only names inside the zone: normaliseName keeps others absolute (trailing dot).
    if (t !== null && zone !== '') {
      const rel = normaliseName(t.endsWith('.') ? t : `${t}.`, zone);
      if (!rel.endsWith('.')) referenced.add(rel);
    }
  }
  const takesTraffic = (name: string) => referenced.has(name) || (!byName.has(name) && name !== '@' && wildcards.has(wildcardFor(name)));
  return { byName, takesTraffic };
}
