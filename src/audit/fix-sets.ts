/**
 * Fix calls for the zone's own findings, built from the zone index: names as a tool reads them
 * back, and the records a set keeps listed exactly as the zone holds them (canonical values).
 */
import { fqdn } from '../domain/names.js';
import { DEFAULT_TTL, MAX_TTL, MIN_TTL } from '../domain/model.js';
import { upsertFix, type DesiredRecord, type FixCall } from './fix.js';
import type { Entry, ZoneIndex } from './zone-index.js';

/** A name as a call writes it: `@`, `www`, `_dmarc`; a dotted one in full, so that no tool reads it as a question about another zone. */
export const callName = (name: string, zone: string): string => (name === '@' || !name.includes('.') ? name : fqdn(name, zone));

export function desiredOf(e: Entry, zone: string): DesiredRecord {
  const { name, record_type, value, ttl, priority } = e.spec;
  return { name: callName(name, zone), record_type, value, ttl, ...(priority !== null ? { priority } : {}) };
}

/** A TTL a tool accepts (the provider's range). */
export const clampTtl = (ttl: number): number => Math.min(MAX_TTL, Math.max(MIN_TTL, ttl));

/** The TTL a new record of the set (name, type) gets: the set's own, so that no TTL mismatch is made. */
export const setTtl = (ix: ZoneIndex, name: string, type: string): number => clampTtl(ix.at(name, type)[0]?.spec.ttl ?? DEFAULT_TTL);

/** Whether a record can be added at `name`: no CNAME there, and not below a delegation. */
export const canHold = (ix: ZoneIndex, name: string): boolean => !ix.at(name, 'CNAME').length && ix.delegation(name) === null;

export interface SetChange {
  name: string;
  type: string;
  /** Which of the set's records stay (each as the zone holds it). */
  keep: (e: Entry) => boolean;
  add?: Array<Omit<DesiredRecord, 'name' | 'record_type'>>;
}

/**
 * One apply_zone dry run (upsert) that makes each set what `keep` leaves of it plus `add`. Null
 * when a set would end up empty: upsert leaves a set it is given no records for alone.
 */
export function setFix(ix: ZoneIndex, sets: SetChange[], tradeoff?: string): FixCall | null {
  const out: DesiredRecord[] = [];
  for (const s of sets) {
    const current = ix.at(s.name, s.type);
    const kept = current.filter(s.keep).map((e) => desiredOf(e, ix.zone));
    const added = (s.add ?? []).map((a) => ({ name: callName(s.name, ix.zone), record_type: s.type, ttl: setTtl(ix, s.name, s.type), ...a }));
    if (!kept.length && !added.length) return null;
    out.push(...kept, ...added);
  }
  return upsertFix(ix.zone, out, tradeoff);
}
