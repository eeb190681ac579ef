/**
 * Record sets as receipts and undo see them: a set is (name, type); its state is the sorted list
 * of (value, ttl, priority), so comparing two states is comparing strings. Uuids are carried for
 * mapping old records to new ones, never compared.
 */
import type { CurrentRecord } from '../domain/diff.js';
import type { RecordSpec, RecordType } from '../domain/model.js';
import { cmp } from '../domain/names.js';
import { canonicalJson, digest } from '../safety/confirm.js';

/** One record of a set in a receipt: value, ttl, priority and (for mapping only) the uuid it had. */
export type Row = [value: string, ttl: number, priority: number | null, uuid?: string];

export interface SetRef {
  name: string;
  record_type: RecordType;
}

export const setKeyOf = (r: SetRef): string => `${r.name}|${r.record_type}`;

function stateOf(records: readonly RecordSpec[]): Array<[string, number, number | null]> {
  return records.map((r): [string, number, number | null] => [r.value, r.ttl, r.priority]).sort((a, b) => cmp(canonicalJson(a), canonicalJson(b)));
}

/** The digest of a set's state (what a receipt keeps of the after-state). */
export function setDigest(records: readonly RecordSpec[]): string {
  return digest(stateOf(records));
}

export function sameState(a: readonly RecordSpec[], b: readonly RecordSpec[]): boolean {
  return canonicalJson(stateOf(a)) === canonicalJson(stateOf(b));
}

export function rowsOf(records: readonly CurrentRecord[]): Row[] {
  return records.map((r): Row => [r.value, r.ttl, r.priority, r.uuid]).sort((a, b) => cmp(canonicalJson(a), canonicalJson(b)));
}

export function specsOf(set: SetRef, rows: readonly Row[]): Array<RecordSpec & { oldUuid?: string }> {
  return rows.map(([value, ttl, priority, uuid]) => ({ name: set.name, record_type: set.record_type, value, ttl, priority, ...(uuid ? { oldUuid: uuid } : {}) }));
}

/** Records grouped by set, in a stable order. */
export function groupSets<T extends RecordSpec>(records: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of [...records].sort((a, b) => cmp(setKeyOf(a), setKeyOf(b)))) {
    const k = setKeyOf(r);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}
