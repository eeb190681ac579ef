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
 * What it cannot see: a record created and deleted again in between. Records created count like
 * records changed (an addition can take traffic: marks.ts); DNS-01 values (`_acme-challenge` TXT)
 * count nothing either way, as in effect.ts.
 */
import { applyChanges, type Change, type CurrentRecord } from '../domain/diff.js';
import { processState, type BudgetLedger, type BudgetSnapshot } from '../state/index.js';
import { canonicalJson, signToken, verifyToken } from './confirm.js';
import { WINDOW_MINUTES, type BudgetUse } from './effect.js';
import { isAcmeRecord } from './acme-cleanup.js';

export const WINDOW_MS = WINDOW_MINUTES * 60_000;
/** A new baseline is kept at most once a minute per zone, so a zone holds at most ~11. */
const SNAPSHOT_EVERY_MS = 60_000;

const contentOf = (r: CurrentRecord) => canonicalJson([r.name, r.record_type, r.value, r.ttl, r.priority]);
const counted = (records: readonly CurrentRecord[]) => records.filter((r) => !isAcmeRecord(r));
/**
 * A baseline also lists what a confirmed write is about to create (their uuids are the
 * provider's, not known yet), under ids no provider uuid has, so a store keeps them as it keeps
 * any entry: records added later than that count, those do not.
 */
const EXPECTED = 'expected:';
const snapshot = (at: number, records: readonly CurrentRecord[], expected: readonly string[] = []): BudgetSnapshot => ({
  at,
  records: [...counted(records).map((r): [string, string] => [r.uuid, contentOf(r)]), ...expected.map((c, i): [string, string] => [`${EXPECTED}${i}`, c])],
});

/** Baseline records the live zone no longer holds as they were, and records added since. */
function useFrom(base: BudgetSnapshot | undefined, live: readonly CurrentRecord[], now: number): BudgetUse {
  if (!base) return { used: 0, baselineCount: counted(live).length, since: now };
  const known = base.records.filter(([uuid]) => !uuid.startsWith(EXPECTED));
  const expected = base.records.filter(([uuid]) => uuid.startsWith(EXPECTED)).map(([, content]) => content);
  const ids = new Set(known.map(([uuid]) => uuid));
  const current = new Map(counted(live).map((r) => [r.uuid, contentOf(r)]));
  let used = 0;
  for (const [uuid, content] of known) if (current.get(uuid) !== content) used++;
  for (const [uuid, content] of current) {
    if (ids.has(uuid)) continue;
    const i = expected.indexOf(content);
    if (i >= 0) expected.splice(i, 1);
    else used++;
  }
  return { used, baselineCount: known.length, since: base.at };
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
  const after = applyChanges([...before], changes, () => NEW);
  const created = counted(after.filter((r) => r.uuid === NEW)).map(contentOf);
  return ledger.note(zone, snapshot(now, after.filter((r) => r.uuid !== NEW), created), true, SNAPSHOT_EVERY_MS, WINDOW_MS);
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
