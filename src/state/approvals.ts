/**
 * Approvals in this process's memory (the embedded store), and the wake-ups both stores use: a
 * wait for a decision sleeps until the approval changes here, a notification from another
 * replica arrives (postgres-approvals.ts), or its poll interval runs out.
 */
import type { ApprovalDecision, ApprovalRow, ApprovalState } from './types.js';

/** How long an approval is kept after it expires, so its page still says what became of it. */
export const APPROVAL_KEEP_MS = 10 * 60_000;
/** More approvals than people can have open at once; a flood evicts the oldest first. */
const MAX_APPROVALS = 10_000;

/** Waiters by approval key, woken when it changes. */
export class KeyWaiters {
  private readonly waiters = new Map<string, Set<() => void>>();

  wake(key: string): void {
    const set = this.waiters.get(key);
    if (!set) return;
    this.waiters.delete(key);
    for (const w of set) w();
  }

  /** Not unref'd: a CLI waiting for the click has nothing else keeping the process alive. */
  wait(key: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted || ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const set = this.waiters.get(key) ?? new Set<() => void>();
      this.waiters.set(key, set);
      const done = () => {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (!set.size && this.waiters.get(key) === set) this.waiters.delete(key);
        resolve();
      };
      const t = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }
}

export class MemoryApprovals implements ApprovalState {
  private readonly rows = new Map<string, ApprovalRow>();
  private readonly paths = new Map<string, string>();
  private readonly waiters = new KeyWaiters();

  async add(row: ApprovalRow, now: number): Promise<void> {
    for (const [key, r] of this.rows) if (r.expiresAt + APPROVAL_KEEP_MS <= now || this.rows.size >= MAX_APPROVALS) this.forget(key);
    this.rows.set(row.key, { ...row });
    this.paths.set(row.pathId, row.key);
  }

  async byKey(key: string): Promise<ApprovalRow | null> {
    const r = this.rows.get(key);
    return r ? { ...r } : null;
  }

  async byPath(pathId: string): Promise<ApprovalRow | null> {
    const key = this.paths.get(pathId);
    return key === undefined ? null : this.byKey(key);
  }

  async decide(key: string, decision: ApprovalDecision, now: number, by?: unknown): Promise<{ recorded: boolean; decided: ApprovalDecision | null }> {
    const r = this.rows.get(key);
    if (!r) return { recorded: false, decided: null };
    // Check and set with no await between them: of two posts at once, one decides.
    if (r.decided) return { recorded: false, decided: r.decided };
    const d = now >= r.expiresAt ? 'expired' : decision;
    r.decided = d;
    r.decidedBy = d === 'expired' ? null : (by ?? null);
    this.waiters.wake(key);
    return { recorded: d === decision, decided: d };
  }

  async take(key: string): Promise<ApprovalDecision | null> {
    const r = this.rows.get(key);
    if (!r || r.taken || !r.decided) return null;
    r.taken = true;
    return r.decided;
  }

  async setUrl(key: string, url: string): Promise<void> {
    const r = this.rows.get(key);
    if (r) r.url = url;
  }

  async park(key: string): Promise<void> {
    const r = this.rows.get(key);
    if (r && !r.taken) r.parked = true;
  }

  async remind(key: string): Promise<number> {
    const r = this.rows.get(key);
    return r && !r.taken ? ++r.reminders : 0;
  }

  async report(key: string, outcome: unknown): Promise<void> {
    const r = this.rows.get(key);
    if (!r || r.outcome != null) return;
    r.outcome = outcome;
    this.waiters.wake(key);
  }

  async parked(binding: string, now: number): Promise<ApprovalRow | null> {
    for (const r of this.rows.values()) if (r.parked && !r.taken && r.binding === binding && now < r.expiresAt) return { ...r };
    return null;
  }

  changed(key: string, ms: number, signal?: AbortSignal): Promise<void> {
    return this.waiters.wait(key, ms, signal);
  }

  private forget(key: string): void {
    const r = this.rows.get(key);
    if (!r) return;
    this.rows.delete(key);
    this.paths.delete(r.pathId);
  }
}
