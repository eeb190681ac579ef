/**
 * The per-zone budget: changes to one zone within a rolling window count together, so that many
 * small calls cannot rewrite a zone without a human. It is judged from the live zone against a
 * baseline: the zone as it was before the oldest write this process ran in the window. What
 * changed since is counted (records of the baseline changed or removed), whoever changed it.
 *
 * What it can see: every write through this process, and every change to the zone since (by
 * anyone: other replicas, the provider's panel), as long as this process ran one write in the
 * window. Across replicas, every write result also carries a signed budget_token (how much of the
 * window is used, and since when): passed back with the next write, any replica counts it, and
 * it can only make a call stricter. What it cannot: writes another replica ran while this one ran
 * none in the window when the caller drops the token; a record created and deleted again in
 * between. Records created count like records changed (an addition can take traffic: marks.ts);
 * DNS-01 values (`_acme-challenge` TXT) count nothing either way, as in effect.ts.
 */
import { applyChanges, type Change, type CurrentRecord } from '../domain/diff.js';
import { canonicalJson, signToken, verifyToken } from './confirm.js';
import { WINDOW_MINUTES, type BudgetUse } from './effect.js';
import { isAcmeRecord } from './acme-cleanup.js';

export const WINDOW_MS = WINDOW_MINUTES * 60_000;
/** A new baseline is kept at most once a minute per zone, so a zone holds at most ~11. */
const SNAPSHOT_EVERY_MS = 60_000;
const MAX_ZONES = 1000;

interface Snapshot {
  at: number;
  records: Map<string, string>;
  /** Contents of records a confirmed write created (their uuids are the provider's, not known yet): not new since. */
  expected?: string[];
}

const ledger = new Map<string, Snapshot[]>();

const contentOf = (r: CurrentRecord) => canonicalJson([r.name, r.record_type, r.value, r.ttl, r.priority]);
const counted = (records: readonly CurrentRecord[]) => records.filter((r) => !isAcmeRecord(r));
const snapshot = (at: number, records: readonly CurrentRecord[], expected?: string[]): Snapshot => ({ at, records: new Map(counted(records).map((r) => [r.uuid, contentOf(r)])), ...(expected ? { expected } : {}) });

function inWindow(zone: string, now: number): Snapshot[] {
  const kept = (ledger.get(zone) ?? []).filter((s) => now - s.at < WINDOW_MS && s.at <= now);
  if (kept.length) ledger.set(zone, kept);
  else ledger.delete(zone);
  return kept;
}

/** How much of the zone's budget is used now: baseline records the live zone no longer holds as they were, and records added since. */
export function budgetUse(zone: string, live: readonly CurrentRecord[], now: number): BudgetUse {
  const base = inWindow(zone, now)[0];
  if (!base) return { used: 0, baselineCount: counted(live).length, since: now };
  const current = new Map(counted(live).map((r) => [r.uuid, contentOf(r)]));
  let used = 0;
  for (const [uuid, content] of base.records) if (current.get(uuid) !== content) used++;
  const expected = [...(base.expected ?? [])];
  for (const [uuid, content] of current) {
    if (base.records.has(uuid)) continue;
    const i = expected.indexOf(content);
    if (i >= 0) expected.splice(i, 1);
    else used++;
  }
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
    const after = applyChanges([...before], changes, () => NEW);
    const created = counted(after.filter((r) => r.uuid === NEW)).map(contentOf);
    ledger.set(zone, [snapshot(now, after.filter((r) => r.uuid !== NEW), created)]);
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
