/**
 * The approvals behind the approval desk (approval-desk.ts) and its pages, over the state store's
 * rows (src/state): this process's memory by default, PostgreSQL with VPSORG_STATE_URL, so a page
 * served by one replica can be decided through another and the call waiting on the first goes on.
 * A decision is recorded once, atomically, and read by one call once; the page's secret path is
 * kept only as a hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import { MemoryApprovals, type ApprovalRow, type ApprovalState } from '../state/index.js';
import type { ApprovalRequest, Decision, Outcome, PageEntry, ParkedApproval } from './approval-desk.js';
import type { ApprovalView } from './approval-view.js';
import type { Actor } from './scopes.js';

/** A wait re-reads the approval this often at first, then less often (the store also wakes it on a change). */
const POLL_FIRST_MS = 100;
const POLL_MAX_MS = 2000;
/** A wait for the whole approval also sees its expiry (and ends as 'expired'), this much after it. */
const EXPIRY_SLACK_MS = 50;
/**
 * A wait rides out a store outage this long (a PostgreSQL restart, a reset connection): it keeps
 * re-reading, within its own deadline, and goes on once the store answers. Longer (or still out
 * when the wait ends) it fails with state_unavailable, as any call does. docs/team.md says so.
 */
export const WAIT_OUTAGE_MS = 30_000;

const unavailable = (err: unknown) => (err as { code?: unknown } | null)?.code === 'state_unavailable';

const pathId = (path: string) => createHash('sha256').update(path).digest('base64url');

function entryOf(r: ApprovalRow): PageEntry {
  const request = r.request as ApprovalRequest;
  const rule = { ...(request.requester ? { requester: request.requester } : {}), ...(request.distinct ? { distinct: true } : {}) };
  return { key: r.key, view: request.view as ApprovalView, request, ...rule, expiresAt: r.expiresAt, csrf: r.csrf, decided: r.decided, outcome: (r.outcome ?? null) as Outcome | null, ...(r.decidedBy ? { decidedBy: r.decidedBy as Actor } : {}) };
}

export class ApprovalStore {
  /** `rows`: the state store's approvals (src/state); by default a memory of this store's own. */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly rows: ApprovalState = new MemoryApprovals(),
    private readonly outageMs = WAIT_OUTAGE_MS,
  ) {}

  /** Files an approval; returns the unguessable path segment of its page. */
  async add(req: ApprovalRequest): Promise<string> {
    const path = randomBytes(24).toString('base64url');
    const row: ApprovalRow = { key: req.key, pathId: pathId(path), request: req, binding: req.binding ?? null, expiresAt: req.expiresAt, csrf: randomBytes(24).toString('base64url'), url: null, decided: null, decidedBy: null, outcome: null, reminders: 0, parked: false, taken: false };
    await this.rows.add(row, this.now());
    return path;
  }

  /** The page's entry, or null when unknown; an expired one reads as decided 'expired'. */
  async page(path: string): Promise<PageEntry | null> {
    const r = await this.rows.byPath(pathId(path));
    if (!r) return null;
    const e = entryOf(r);
    if (!e.decided && this.now() >= e.expiresAt) await this.decide(e, 'expired');
    return e;
  }

  /**
   * Records the person's decision once (`by`: the approver who signed in, if one did); false when
   * already decided or expired. `entry.decided` is then what holds.
   */
  async decide(entry: PageEntry, d: Decision, by?: Actor): Promise<boolean> {
    const { recorded, decided } = await this.rows.decide(entry.key, d, this.now(), by);
    entry.decided = decided ?? 'expired';
    return recorded && d !== 'expired';
  }

  /** Notes the full URL the page was offered at. */
  async setUrl(key: string, url: string): Promise<void> {
    await this.rows.setUrl(key, url);
  }

  async decidedBy(key: string): Promise<Actor | undefined> {
    return ((await this.rows.byKey(key))?.decidedBy ?? undefined) as Actor | undefined;
  }

  async url(key: string): Promise<string | undefined> {
    const r = await this.rows.byKey(key);
    return r && !r.taken ? (r.url ?? undefined) : undefined;
  }

  report(key: string, outcome: Outcome): Promise<void> {
    return this.rows.report(key, outcome);
  }

  /** The outcome of an approved change, waiting up to `ms` for the call (on any replica) to report it; null if it did not. */
  async outcome(p: PageEntry, ms: number): Promise<Outcome | null> {
    const until = Date.now() + ms;
    for (let pause = POLL_FIRST_MS; ; pause = Math.min(pause * 2, POLL_MAX_MS)) {
      const r = await this.rows.byKey(p.key);
      if (r?.outcome != null) return (p.outcome = r.outcome as Outcome);
      const left = until - Date.now();
      if (!r || left <= 0) return null;
      await this.rows.changed(p.key, Math.min(left, pause));
    }
  }

  remind(key: string): Promise<number> {
    return this.rows.remind(key);
  }

  park(key: string): Promise<void> {
    return this.rows.park(key);
  }

  /** A parked approval for this binding that no call has read yet and that has not expired. */
  async parked(binding: string): Promise<ParkedApproval | undefined> {
    const r = await this.rows.parked(binding, this.now());
    const requestState = (r?.request as ApprovalRequest | undefined)?.requestState;
    return r && requestState ? { key: r.key, requestState, expiresAt: r.expiresAt } : undefined;
  }

  /** Ends an approval without a click: declined, and read, so no call can use it. */
  async cancel(key: string): Promise<void> {
    await this.rows.decide(key, 'declined', this.now());
    await this.rows.take(key);
  }

  async wait(key: string, ms: number | undefined, signal?: AbortSignal): Promise<Decision | 'pending' | 'unknown'> {
    // The wait's own length is real time; expiry is by this store's clock.
    const until = ms === undefined ? Infinity : Date.now() + ms;
    const steady = this.steadily(key, until, signal);
    let r = await steady(() => this.rows.byKey(key));
    if (!r || r.taken) return 'unknown';
    for (let pause = POLL_FIRST_MS; !r.decided; pause = Math.min(pause * 2, POLL_MAX_MS)) {
      if (this.now() >= r.expiresAt) {
        await steady(() => this.rows.decide(key, 'expired', this.now()));
      } else {
        const left = Math.min(until - Date.now(), r.expiresAt + EXPIRY_SLACK_MS - this.now());
        if (left <= 0 || ms === 0 || signal?.aborted) break;
        await this.rows.changed(key, Math.min(left, pause), signal);
      }
      r = await steady(() => this.rows.byKey(key));
      if (!r) return 'unknown';
    }
    if (!r.decided) return 'pending';
    // Single use, whatever the decision: of two calls waiting on one approval (a client retrying twice), the first to read it has it.
    return (await steady(() => this.rows.take(key))) ?? 'unknown';
  }

  /**
   * The store calls of one wait: one that finds the store unavailable is tried again (each pause
   * also re-opens the store's listener) until it answers, the wait ends, or the outage has lasted
   * outageMs; then its state_unavailable stands. A take whose answer was lost reads as taken: the
   * call then runs nothing, never twice.
   */
  private steadily(key: string, until: number, signal: AbortSignal | undefined) {
    let since: number | undefined;
    return async <T>(fn: () => Promise<T>): Promise<T> => {
      for (let pause = POLL_FIRST_MS; ; pause = Math.min(pause * 2, POLL_MAX_MS)) {
        try {
          const out = await fn();
          since = undefined;
          return out;
        } catch (err) {
          since ??= Date.now();
          const left = Math.min(until, since + this.outageMs) - Date.now();
          if (!unavailable(err) || left <= 0 || signal?.aborted) throw err;
          await this.rows.changed(key, Math.min(left, pause), signal);
        }
      }
    };
  }
}
