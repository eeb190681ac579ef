/** A recorded call's writes as record-set changes: per set, its state before and after the call. */
import type { DnsRecord } from '../api/types.js';
import { toCurrentRecord } from '../domain/model.js';
import { updateChange, type Change, type CurrentRecord } from '../domain/diff.js';
import { groupSets, sameState, setKeyOf, type SetRef } from './sets.js';
import type { ZoneTrace } from './recorder.js';

export type ChangeKind = 'records' | 'zone_created' | 'zone_deleted';

export interface SetChange extends SetRef {
  before: CurrentRecord[];
  after: CurrentRecord[];
}

export interface ZoneChange {
  zone: { uuid: string; domain: string };
  kind: ChangeKind;
  sets: SetChange[];
  /** Record by record, old -> new, in the order they were sent. */
  changes: Change[];
  /** false when a write touched a record the call had not read (its before-state is unknown). */
  complete: boolean;
}

export function summarize(t: ZoneTrace): ZoneChange | null {
  const domain = t.domain;
  if (!domain || (!t.writes.length && !t.created && !t.deleted)) return null;
  const cur = (r: DnsRecord) => toCurrentRecord(r, domain);
  const base = (t.base ?? []).map(cur);
  const state = new Map(base.map((r) => [r.uuid, r]));
  const touched = new Set<string>();
  const changes: Change[] = [];
  let complete = t.base !== undefined;
  for (const w of t.writes) {
    const before = w.kind === 'create' ? undefined : state.get(w.uuid);
    if (w.kind !== 'create' && !before) complete = false;
    if (before) touched.add(setKeyOf(before));
    if (w.kind === 'delete') {
      state.delete(w.uuid);
      if (before) changes.push({ action: 'delete', before });
      continue;
    }
    const after = cur(w.after);
    touched.add(setKeyOf(after));
    state.set(after.uuid, after);
    const change = before ? updateChange(before, after) : { action: 'create' as const, after };
    if (change) changes.push(change);
  }
  if (t.deleted) {
    for (const r of base) touched.add(setKeyOf(r));
    state.clear();
  }
  const beforeSets = groupSets(base);
  const afterSets = groupSets([...state.values()]);
  const sets: SetChange[] = [];
  for (const key of [...touched].sort()) {
    const before = beforeSets.get(key) ?? [];
    const after = afterSets.get(key) ?? [];
    const ref = (before[0] ?? after[0]) as CurrentRecord;
    if (!t.deleted && sameState(before, after)) continue;
    sets.push({ name: ref.name, record_type: ref.record_type, before, after });
  }
  if (t.deleted) changes.push(...base.map((before) => ({ action: 'delete' as const, before })));
  const kind: ChangeKind = t.deleted ? 'zone_deleted' : t.created ? 'zone_created' : 'records';
  if (kind === 'records' && !sets.length) return null;
  return { zone: { uuid: t.uuid, domain }, kind, sets, changes, complete };
}
