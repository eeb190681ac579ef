/**
 * The per-zone budget: changes to one zone within a rolling window count together, so that many
 * small calls cannot rewrite a zone without a human. It is judged from the live zone against a
 * baseline: the zone as it was before the oldest write this process ran in the window. What
 * changed since is counted (records of the baseline changed or removed), whoever changed it.
 *
 * What it can see: every write through this process, and every change to the zone since (by
 * anyone: other replicas, the provider's panel), as long as this process ran one write in the
 * window. What it cannot: writes another replica ran while this one ran none in the window; a
 * record created and deleted again in between. Records created count nothing (they remove nothing).
 */
import { applyChanges, type Change, type CurrentRecord } from '../domain/diff.js';
import { canonicalJson } from './confirm.js';
import { WINDOW_MINUTES, type BudgetUse } from './effect.js';

export const WINDOW_MS = WINDOW_MINUTES * 60_000;
/** A new baseline is kept at most once a minute per zone, so a zone holds at most ~11. */
const SNAPSHOT_EVERY_MS = 60_000;
const MAX_ZONES = 1000;

interface Snapshot {
  at: number;
  records: Map<string, string>;
}

const ledger = new Map<string, Snapshot[]>();

const contentOf = (r: CurrentRecord) => canonicalJson([r.name, r.record_type, r.value, r.ttl, r.priority]);
const snapshot = (at: number, records: readonly CurrentRecord[]): Snapshot => ({ at, records: new Map(records.map((r) => [r.uuid, contentOf(r)])) });

function inWindow(zone: string, now: number): Snapshot[] {
  const kept = (ledger.get(zone) ?? []).filter((s) => now - s.at < WINDOW_MS && s.at <= now);
  if (kept.length) ledger.set(zone, kept);
  else ledger.delete(zone);
  return kept;
}

/** How much of the zone's budget is used now: baseline records the live zone no longer holds as they were. */
export function budgetUse(zone: string, live: readonly CurrentRecord[], now: number): BudgetUse {
  const base = inWindow(zone, now)[0];
  if (!base) return { used: 0, baselineCount: live.length, since: now };
  const current = new Map(live.map((r) => [r.uuid, contentOf(r)]));
  let used = 0;
  for (const [uuid, content] of base.records) if (current.get(uuid) !== content) used++;
  return { used, baselineCount: base.records.size, since: base.at };
}

/**
 * Records that a write is about to run on the zone as `before`. A write a human confirmed starts
 * the window afresh from the state they approved (what they saw, with the changes made), so
 * the next small change is not held against that approval.
 */
export function noteWrite(zone: string, before: readonly CurrentRecord[], changes: Change[], now: number, confirmed: boolean): void {
  if (confirmed) {
    const NEW = '\u0000new';
    const after = applyChanges([...before], changes, () => NEW).filter((r) => r.uuid !== NEW);
    ledger.set(zone, [snapshot(now, after)]);
  } else {
    const kept = inWindow(zone, now);
    const last = kept[kept.length - 1];
    if (!last || now - last.at >= SNAPSHOT_EVERY_MS) ledger.set(zone, [...kept, snapshot(now, before)]);
  }
  // Oldest zones first out: a Map iterates in insertion order.
  const mine = ledger.get(zone) ?? [];
  ledger.delete(zone);
  ledger.set(zone, mine);
  for (const k of ledger.keys()) {
    if (ledger.size <= MAX_ZONES) break;
    ledger.delete(k);
  }
}

/** For tests: forget every zone's window. */
export function resetBudgets(): void {
  ledger.clear();
}
