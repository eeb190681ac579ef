import { normaliseRecord, normaliseName, normaliseZone, isInZone, parseRecordType, type RecordSpec, type RecordType } from '../domain/model.js';
import type { AuditRecord } from './types.js';

/** One record twice: canonical (for comparing) and as the provider gave it (for reporting). */
export interface Entry {
  spec: RecordSpec;
  src: AuditRecord;
}

/** The canonical form; a type the model does not know (the provider may add one) is kept as given. */
function canonical(r: AuditRecord, zone: string): RecordSpec {
  if (parseRecordType(r.record_type)) return normaliseRecord({ ...r, priority: r.priority ?? null }, zone);
  return { name: normaliseName(r.name, zone), record_type: r.record_type.trim().toUpperCase() as RecordType, value: r.value.trim(), ttl: r.ttl, priority: r.priority ?? null };
}

function parentOf(name: string): string | null {
  if (name === '@') return null;
  const dot = name.indexOf('.');
  return dot < 0 ? '@' : name.slice(dot + 1);
}

/**
 * The zone as a tree of owner names, so that checks can ask what a name holds, whether it exists
 * at all (an empty non-terminal exists too, RFC 4592 2.2.2), which wildcard would answer for it,
 * and whether it lies below a delegation (its data then lives in another zone).
 */
export class ZoneIndex {
  readonly zone: string;
  readonly entries: Entry[];
  private readonly byName = new Map<string, Entry[]>();
  private readonly nodes = new Set<string>();

  constructor(zone: string, records: readonly AuditRecord[]) {
    this.zone = normaliseZone(zone);
    this.entries = records.map((src) => ({ src, spec: canonical(src, this.zone) }));
    for (const e of this.entries) {
      const list = this.byName.get(e.spec.name) ?? [];
      list.push(e);
      this.byName.set(e.spec.name, list);
      if (!isInZone(e.spec.name, this.zone)) continue;
      for (let n: string | null = e.spec.name; n !== null; n = parentOf(n)) this.nodes.add(n);
    }
  }

  at(name: string, type?: string): Entry[] {
    const all = this.byName.get(name) ?? [];
    return type ? all.filter((e) => e.spec.record_type === type) : all;
  }

  ofType(type: string): Entry[] {
    return this.entries.filter((e) => e.spec.record_type === type);
  }

  /** Record sets (name + type), in a stable order. */
  rrsets(): Entry[][] {
    const sets = new Map<string, Entry[]>();
    for (const e of this.entries) {
      const key = `${e.spec.name}|${e.spec.record_type}`;
      sets.set(key, [...(sets.get(key) ?? []), e]);
    }
    return [...sets.values()];
  }

  /** `x.example.com.` -> `x`; null when the target lies outside the zone. */
  relative(target: string): string | null {
    const rel = normaliseName(target, this.zone);
    return isInZone(rel, this.zone) ? rel : null;
  }

  exists(name: string): boolean {
    return this.nodes.has(name);
  }

  /** The delegation point (a name below the apex with NS records) at or above `name`, if any. */
  delegation(name: string): string | null {
    for (let n: string | null = name; n !== null && n !== '@'; n = parentOf(n)) if (this.at(n, 'NS').length) return n;
    return null;
  }

  /** What answers for `name`: its own records, or those of the wildcard at its closest encloser (RFC 4592). */
  answering(name: string): Entry[] {
    if (this.exists(name)) return this.at(name);
    let encloser = parentOf(name);
    while (encloser !== null && !this.exists(encloser)) encloser = parentOf(encloser);
    if (encloser === null) return [];
    return this.at(encloser === '@' ? '*' : `*.${encloser}`);
  }
}
