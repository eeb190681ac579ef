/**
 * What undoing a change means now, set by set: the receipt holds each set's state before the
 * change and a digest of its state after it; the live zone says what it is now.
 *   now = after  -> restore the before-state;
 *   now = before -> nothing to do (already undone);
 *   otherwise    -> someone changed the set since: a conflict, left alone.
 * Where the journal knows the after-state, a set holding only records of the before- and
 * after-states (an undo interrupted part-way) is restored too: so re-running an undo converges.
 */
import { diffRecords, type Change, type CurrentRecord } from '../domain/diff.js';
import type { RecordSpec } from '../domain/model.js';
import { groupSets, sameState, setDigest, setKeyOf, specsOf, type Row } from './sets.js';
import type { ReceiptSet } from './receipt.js';

export type SetStatus = 'restore' | 'already_undone' | 'conflict';

export interface SetVerdict {
  name: string;
  record_type: string;
  status: SetStatus;
  before: RecordSpec[];
  /** The after-state when known (the journal keeps it; a receipt keeps only its digest). */
  after: RecordSpec[] | null;
  now: CurrentRecord[];
}

export interface UndoPlan {
  verdicts: SetVerdict[];
  /** The changes that restore every set whose verdict is `restore`. */
  changes: Change[];
  /** Old record uuid -> the before record it stands for, to map old uuids to new ones after creates. */
  creates: Array<RecordSpec & { oldUuid?: string }>;
}

const tuple = (r: RecordSpec) => `${r.value}\u0000${r.ttl}\u0000${r.priority}`;

/** Whether every record of `now` is one of `pool` (as a multiset). */
function within(now: readonly RecordSpec[], pool: readonly RecordSpec[]): boolean {
  const left = new Map<string, number>();
  for (const r of pool) left.set(tuple(r), (left.get(tuple(r)) ?? 0) + 1);
  return now.every((r) => {
    const n = left.get(tuple(r)) ?? 0;
    left.set(tuple(r), n - 1);
    return n > 0;
  });
}

export function planUndo(sets: readonly ReceiptSet[], live: readonly CurrentRecord[], afterRows?: ReadonlyMap<string, Row[]>): UndoPlan {
  const now = groupSets(live);
  const plan: UndoPlan = { verdicts: [], changes: [], creates: [] };
  for (const s of sets) {
    const ref = { name: s.n, record_type: s.t };
    const key = setKeyOf(ref);
    const before = specsOf(ref, s.b);
    const current = now.get(key) ?? [];
    const afterKnown = afterRows?.get(key);
    const after = afterKnown ? specsOf(ref, afterKnown) : null;
    const resumable = after !== null && within(current, [...before, ...after]);
    const status: SetStatus = sameState(current, before) ? 'already_undone' : setDigest(current) === s.a || resumable ? 'restore' : 'conflict';
    plan.verdicts.push({ name: s.n, record_type: s.t, status, before, after, now: current });
    if (status !== 'restore') continue;
    const changes = diffRecords(current, before, 'sync');
    plan.changes.push(...changes);
    for (const c of changes) if (c.action === 'create') plan.creates.push(c.after);
  }
  return plan;
}
