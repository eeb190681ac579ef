/**
 * The per-zone budget: changes to one zone within a rolling window count together, so that many
 * small calls cannot rewrite a zone without a human. It is judged from the live zone against a
 * baseline: the zone as it was before the oldest write this process ran in the window. What
 * changed since is counted (records of the baseline changed or removed), whoever changed it.
 *
 * The baselines are kept by the state store (src/state): with the embedded store, writes through
 * this process; with the shared one (VPSORG_STATE_URL), writes through every replica. Every write
 * result also carries a signed budget_token (how much of the window is used, and since when):
 * passed back with the next write, any replica counts it, and it can only make a call stricter.
 * What it cannot see: a record created and deleted again in between. Records created count
 * nothing (they remove nothing).
 */
import { applyChanges, type Change, type CurrentRecord } from '../domain/diff.js';
import { processState, type BudgetLedger, type BudgetSnapshot } from '../state/index.js';
import { canonicalJson, signToken, verifyToken } from './confirm.js';
import { WINDOW_MINUTES, type BudgetUse } from './effect.js';

export const WINDOW_MS = WINDOW_MINUTES * 60_000;
/** A new baseline is kept at most once a minute per zone, so a zone holds at most ~11. */
const SNAPSHOT_EVERY_MS = 60_000;

const contentOf = (r: CurrentRecord) => canonicalJson([r.name, r.record_type, r.value, r.ttl, r.priority]);
const snapshot = (at: number, records: readonly CurrentRecord[]): BudgetSnapshot => ({ at, records: records.map((r) => [r.uuid, contentOf(r)]) });

/** Baseline records the live zone no longer holds as they were. */
function useFrom(base: BudgetSnapshot | undefined, live: readonly CurrentRecord[], now: number): BudgetUse {
  if (!base) return { used: 0, baselineCount: live.length, since: now };
  const current = new Map(live.map((r) => [r.uuid, contentOf(r)]));
  let used = 0;
  for (const [uuid, content] of base.records) if (current.get(uuid) !== content) used++;
  return { used, baselineCount: base.records.length, since: base.at };
}

/** How much of the zone's budget is used now, as the store (every replica, with PostgreSQL) saw it. */
export async function budgetUseIn(ledger: BudgetLedger, zone: string, live: readonly CurrentRecord[], now: number): Promise<BudgetUse> {
  return useFrom((await ledger.window(zone, WINDOW_MS, now))[0], live, now);
}

/** The same from this process's embedded ledger, without waiting: for previews (a plan's risk) and tests. */
export function budgetUse(zone: string, live: readonly CurrentRecord[], now: number): BudgetUse {
  return useFrom(processState.budget.windowNow(zone, WINDOW_MS, now)[0], live, now);
}

/**
 * Records that a write is about to run on the zone as `before`. A write a human confirmed starts
 * the window afresh from the state they approved (what they saw, with the changes made), so
 * the next small change is not held against that approval.
 */
export function noteWrite(zone: string, before: readonly CurrentRecord[], changes: Change[], now: number, confirmed: boolean, ledger: BudgetLedger = processState.budget): Promise<void> {
  if (!confirmed) return ledger.note(zone, snapshot(now, before), false, SNAPSHOT_EVERY_MS, WINDOW_MS);
  const NEW = '\u0000new';
  const after = applyChanges([...before], changes, () => NEW).filter((r) => r.uuid !== NEW);
  return ledger.note(zone, snapshot(now, after), true, SNAPSHOT_EVERY_MS, WINDOW_MS);
}

/** For tests: forget every zone's window (of this process's embedded store). */
export function resetBudgets(): void {
  processState.budget.clear();
}

const BUDGET_OP = 'budget';

/** A signed note of how much of the zone's window is used, for the caller to pass to the next write. */
export function signBudget(key: Buffer, zone: string, use: Pick<BudgetUse, 'used' | 'since'>, now: number): string {
  const ttl = Math.max(1000, use.since + WINDOW_MS - now);
  return signToken(key, 'budget', BUDGET_OP, zone, JSON.stringify({ since: use.since, used: use.used }), now, ttl).token;
}

/**
 * The budget a caller's token says is used in `zone`, or null when there is none or it does not
 * hold (forged, for another zone, expired with its window): a token can only add to the count.
 */
export function carriedBudget(key: Buffer, token: unknown, zone: string, now: number): Pick<BudgetUse, 'used' | 'since'> | null {
  if (typeof token !== 'string') return null;
  try {
    const p = verifyToken(key, token, { purpose: 'budget', op: BUDGET_OP, args: zone }, now);
    const s = JSON.parse(p.state) as { since?: unknown; used?: unknown };
    return typeof s.since === 'number' && typeof s.used === 'number' && s.used >= 0 ? { since: s.since, used: s.used } : null;
  } catch {
    return null;
  }
}

/** The stricter of what this process saw and what the caller's token carries. */
export function combinedUse(local: BudgetUse, carried: Pick<BudgetUse, 'used' | 'since'> | null): BudgetUse {
  return carried && carried.used > local.used ? { ...local, used: carried.used, since: carried.since } : local;
}
