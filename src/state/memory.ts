/**
 * The embedded store: this process's memory. Enough for stdio and one HTTP process; replicas
 * behind a load balancer each have their own, so they need the PostgreSQL store (postgres.ts).
 */
import { MemoryApprovals } from './approvals.js';
import type { BudgetLedger, BudgetSnapshot, SpentTokens, StateStore, TaskState } from './types.js';

/** More used confirmations than any honest load issues in 5 minutes; a flood evicts the oldest first. */
export const MAX_SPENT = 50_000;
/** Zones whose budget window is kept; the least recently written go first. */
const MAX_ZONES = 1000;
/** Task cancels remembered (tools/kit/tasks.ts keeps settled results in its own bounded cache). */
const MAX_CANCELLED = 4096;

/** Drops what expired, then the oldest (a Map iterates in insertion order) until `max` remain. */
function bound<V>(map: Map<string, V>, max: number, expired: (v: V) => boolean): void {
  if (map.size <= max) return;
  for (const [k, v] of map) if (expired(v)) map.delete(k);
  for (const k of map.keys()) {
    if (map.size <= max) break;
    map.delete(k);
  }
}

export class MemorySpentTokens implements SpentTokens {
  private readonly until = new Map<string, number>();

  constructor(private readonly max = MAX_SPENT) {}

  async isSpent(id: string, now: number): Promise<boolean> {
    return this.holds(id, now);
  }

  async spend(id: string, expiresAt: number, now: number): Promise<boolean> {
    // Check and set with no await between them: two calls at once cannot both win.
    if (this.holds(id, now)) return false;
    this.until.set(id, expiresAt);
    bound(this.until, this.max, (exp) => exp <= now);
    return true;
  }

  private holds(id: string, now: number): boolean {
    const exp = this.until.get(id);
    return exp !== undefined && exp > now;
  }

  get size(): number {
    return this.until.size;
  }
}

export class MemoryBudgetLedger implements BudgetLedger {
  private readonly zones = new Map<string, BudgetSnapshot[]>();

  /** Synchronous, for previews that cannot wait (tools/kit/plan.ts) and for tests. */
  windowNow(zone: string, windowMs: number, now: number): BudgetSnapshot[] {
    const kept = (this.zones.get(zone) ?? []).filter((s) => now - s.at < windowMs && s.at <= now);
    if (kept.length) this.zones.set(zone, kept);
    else this.zones.delete(zone);
    return kept;
  }

  async window(zone: string, windowMs: number, now: number): Promise<BudgetSnapshot[]> {
    return this.windowNow(zone, windowMs, now);
  }

  async note(zone: string, snap: BudgetSnapshot, restart: boolean, everyMs: number, windowMs: number): Promise<void> {
    const kept = restart ? [] : this.windowNow(zone, windowMs, snap.at);
    const last = kept[kept.length - 1];
    const next = !last || snap.at - last.at >= everyMs ? [...kept, snap] : kept;
    // Re-inserted, so the least recently written zone is the first to go.
    this.zones.delete(zone);
    this.zones.set(zone, next);
    bound(this.zones, MAX_ZONES, () => false);
  }

  clear(): void {
    this.zones.clear();
  }
}

export class MemoryTaskState implements TaskState {
  private readonly cancels = new Map<string, number>();

  async cancelled(taskId: string, now: number): Promise<boolean> {
    const exp = this.cancels.get(taskId);
    return exp !== undefined && exp > now;
  }

  async cancel(taskId: string, expires: number, now: number): Promise<void> {
    this.cancels.set(taskId, expires);
    bound(this.cancels, MAX_CANCELLED, (exp) => exp <= now);
  }

  /** One process: the task book's own cache is the only place a result is needed. */
  async settled(): Promise<unknown> {
    return undefined;
  }

  async settle(): Promise<void> {}
}

export class EmbeddedState implements StateStore {
  readonly kind = 'embedded';
  readonly budget = new MemoryBudgetLedger();
  readonly spent = new MemorySpentTokens();
  readonly tasks = new MemoryTaskState();
  readonly approvals = new MemoryApprovals();
  async check(): Promise<void> {}
  async close(): Promise<void> {}
}
