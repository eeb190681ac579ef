/**
 * Diffs between the live zone and a desired set. Like octoDNS, a plan is ordered delete, create,
 * update: deleting first means a CNAME that replaces other records at a name (or records that
 * replace a CNAME) never coexist with them mid-way, and no create can collide with a record that
 * is about to go. Updates never change a record's name or type, so they cannot conflict either.
 */
import { recordKey, hasPriority } from './model.js';
import type { RecordSpec } from './model.js';
import { comparableValue, splitSrv } from './values.js';
import { cmp } from './names.js';

export { renderDiff } from './render-diff.js';

export interface CurrentRecord extends RecordSpec {
  uuid: string;
}

export type ChangeField = 'value' | 'ttl' | 'priority' | 'name' | 'record_type';

export type Change =
  | { action: 'delete'; before: CurrentRecord }
  | { action: 'create'; after: RecordSpec }
  | { action: 'update'; before: CurrentRecord; after: RecordSpec; fields: ChangeField[]; ttlOnly: boolean };

const setKey = (r: RecordSpec) => `${r.name}|${r.record_type}`;

/**
 * What makes "the same record, changed" within a (name, type) set, so that upsert updates it
 * instead of adding a second one: a name has one CNAME; an MX is its host (the priority changes);
 * an SRV is its target and port. Other types are identified by their value alone.
 */
function identity(r: RecordSpec): string | null {
  switch (r.record_type) {
    case 'CNAME':
      return '';
    case 'MX':
      return r.value;
    case 'SRV': {
      const srv = splitSrv(r.value);
      return srv ? `${srv.port} ${srv.target}` : r.value;
    }
    default:
      return null;
  }
}

function compare(a: RecordSpec, b: RecordSpec): number {
  return cmp(a.name, b.name) || cmp(a.record_type, b.record_type) || cmp(a.value, b.value) || (a.priority ?? -1) - (b.priority ?? -1) || a.ttl - b.ttl;
}

const CHANGE_FIELDS: readonly ChangeField[] = ['name', 'record_type', 'value', 'ttl', 'priority'];

/**
 * The update that turns `before` into `after`, or null when nothing differs. A plan's updates
 * stay within a (name, type) set; the single-record tools may also rename or retype. Priority
 * counts only where one of the two types has one.
 */
export function updateChange(before: CurrentRecord, after: RecordSpec): Change | null {
  const same = (f: ChangeField) => (f === 'value' ? comparableValue(before.record_type, before.value) === comparableValue(after.record_type, after.value) : before[f] === after[f]);
  const fields = CHANGE_FIELDS.filter((f) => !same(f) && (f !== 'priority' || hasPriority(before.record_type) || hasPriority(after.record_type)));
  if (fields.length === 0) return null;
  return { action: 'update', before, after, fields, ttlOnly: fields.length === 1 && fields[0] === 'ttl' };
}

/** Pairs `cur` with `des` where `match` says so, removing paired items from both lists. */
function pairOff(cur: CurrentRecord[], des: RecordSpec[], match: (c: CurrentRecord, d: RecordSpec) => boolean): Array<[CurrentRecord, RecordSpec]> {
  const pairs: Array<[CurrentRecord, RecordSpec]> = [];
  for (let di = 0; di < des.length; ) {
    const d = des[di] as RecordSpec;
    // Prefer a partner that also has the same TTL, so that a duplicate set pairs without updates.
    let ci = cur.findIndex((c) => match(c, d) && c.ttl === d.ttl);
    if (ci < 0) ci = cur.findIndex((c) => match(c, d));
    if (ci < 0) { di++; continue; }
    pairs.push([cur[ci] as CurrentRecord, d]);
    cur.splice(ci, 1);
    des.splice(di, 1);
  }
  return pairs;
}

/**
 * The changes that take `current` to `desired`. `sync`: the zone ends up exactly `desired`;
 * `upsert`: "make these record sets so": each (name, type) set `desired` names ends up exactly
 * as listed (its other records are updated or deleted, like sync), and sets it does not name are
 * left alone. `desired` must be free of duplicates (validateZoneRecords); duplicates in `current`
 * are cleaned up in every set that is synced.
 */
export function diffRecords(current: CurrentRecord[], desired: RecordSpec[], mode: 'sync' | 'upsert'): Change[] {
  const groups = new Map<string, { cur: CurrentRecord[]; des: RecordSpec[] }>();
  const group = (k: string) => groups.get(k) ?? (groups.set(k, { cur: [], des: [] }).get(k) as { cur: CurrentRecord[]; des: RecordSpec[] });
  for (const c of [...current].sort(compare)) group(setKey(c)).cur.push(c);
  for (const d of [...desired].sort(compare)) group(setKey(d)).des.push(d);

  const deletes: Change[] = [];
  const creates: Change[] = [];
  const updates: Change[] = [];
  for (const { cur, des } of groups.values()) {
    // upsert syncs exactly the sets it is given; sync syncs every set (those absent from desired are emptied).
    const synced = mode === 'sync' || des.length > 0;
    const pairs = pairOff(cur, des, (c, d) => recordKey(c) === recordKey(d));
    pairs.push(...pairOff(cur, des, (c, d) => identity(c) !== null && identity(c) === identity(d)));
    if (synced) pairs.push(...pairOff(cur, des, () => true));
    for (const [c, d] of pairs) {
      const u = updateChange(c, d);
      if (u) updates.push(u);
    }
    for (const d of des) creates.push({ action: 'create', after: d });
    if (synced) for (const c of cur) deletes.push({ action: 'delete', before: c });
  }
  const subject = (ch: Change) => (ch.action === 'create' ? ch.after : ch.before);
  const byRecord = (a: Change, b: Change) => compare(subject(a), subject(b));
  // An NS record may name a host inside the zone whose A/AAAA is its glue: delete NS records
  // before other records and create them after, so a zone never holds an NS without its glue.
  const ns = (ch: Change) => subject(ch).record_type === 'NS';
  const nsFirst = (a: Change, b: Change) => Number(ns(b)) - Number(ns(a)) || byRecord(a, b);
  const nsLast = (a: Change, b: Change) => Number(ns(a)) - Number(ns(b)) || byRecord(a, b);
  return [...deletes.sort(nsFirst), ...creates.sort(nsLast), ...updates.sort(byRecord)];
}

/** The zone after `changes`, as a pure simulation. Unknown uuids are a programming error. */
export function applyChanges(current: CurrentRecord[], changes: Change[], newUuid?: () => string): CurrentRecord[] {
  let n = 0;
  const mint = newUuid ?? (() => `new-${++n}`);
  const out = [...current];
  const indexOf = (uuid: string) => {
    const i = out.findIndex((r) => r.uuid === uuid);
    if (i < 0) throw new Error(`applyChanges: no record ${uuid} in the zone`);
    return i;
  };
  for (const ch of changes) {
    if (ch.action === 'delete') out.splice(indexOf(ch.before.uuid), 1);
    else if (ch.action === 'create') out.push({ ...ch.after, uuid: mint() });
    else out[indexOf(ch.before.uuid)] = { ...ch.after, uuid: ch.before.uuid };
  }
  return out;
}
