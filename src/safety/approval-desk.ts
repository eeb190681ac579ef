/**
 * Pending URL-mode approvals of this process: what each page shows, and the person's decision.
 * The gate files an approval under the nonce of the requestState it hands the client, and the
 * retried call waits here for the click. The page itself is served by src/http/approval-page.ts.
 * State lives in this process only (see the README on replicas): a decision is never carried by
 * the client or the model, so neither can forge one.
 */
import { randomBytes } from 'node:crypto';
import type { ApprovalView } from './approval-view.js';

export type Decision = 'approved' | 'declined' | 'expired';

/** What became of an approved change, for the page to tell the person. */
export interface Outcome {
  applied: boolean;
  text: string;
}

export interface ApprovalRequest {
  /** The nonce of the signed requestState this approval belongs to. */
  key: string;
  view: ApprovalView;
  /** When the approval stops working (ms since the epoch). */
  expiresAt: number;
}

/** One pending approval as the page sees it. */
export interface PageEntry {
  view: ApprovalView;
  expiresAt: number;
  /** The CSRF token the page's form carries; a POST without it is refused. */
  csrf: string;
  decided: Decision | null;
  /** Set once the approved call ran (or was refused, e.g. the zone changed meanwhile). */
  outcome: Outcome | null;
}

export interface ApprovalDesk {
  /** Files an approval and returns the one-time URL of its page (under `origin` when the server answers on several). */
  open(req: ApprovalRequest, origin?: string): Promise<string>;
  /**
   * The decision, waiting up to `ms` (undefined: until expiry) for the click. `pending` when the
   * wait ran out first; `unknown` when this process holds no such approval (used already, another
   * replica, a restart). An approval is handed out as approved once: it confirms one execution.
   */
  wait(key: string, ms: number | undefined, signal?: AbortSignal): Promise<Decision | 'pending' | 'unknown'>;
  /** Ends an approval without a click (the client declined to open the page). */
  cancel(key: string): void;
  /** The page URL of a pending approval (to ask again after a wait ran out). */
  url(key: string): string | undefined;
  /** What became of an approved change, shown to the person on the page. */
  report(key: string, outcome: Outcome): void;
}

interface Entry extends PageEntry {
  key: string;
  path: string;
  url?: string;
  waiters: Set<() => void>;
  reported: Set<() => void>;
  timer: NodeJS.Timeout;
}

/** The in-memory store behind a page server: approvals by key (the gate) and by secret path (the page). */
export class ApprovalStore {
  private byKey = new Map<string, Entry>();
  private byPath = new Map<string, Entry>();
  /** Approvals a call has read (spent): kept until expiry only so the outcome can reach the page. */
  private spent = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Files an approval; returns the unguessable path segment of its page. */
  add(req: ApprovalRequest): string {
    const path = randomBytes(24).toString('base64url');
    const entry: Entry = { key: req.key, path, view: req.view, expiresAt: req.expiresAt, csrf: randomBytes(24).toString('base64url'), decided: null, outcome: null, waiters: new Set(), reported: new Set(), timer: setTimeout(() => this.decide(entry, 'expired'), Math.max(0, req.expiresAt - this.now())) };
    entry.timer.unref();
    this.byKey.set(req.key, entry);
    this.byPath.set(path, entry);
    return path;
  }

  /** The page's entry, or null when unknown; an expired one reads as decided 'expired'. */
  page(path: string): PageEntry | null {
    const e = this.byPath.get(path);
    if (!e) return null;
    if (!e.decided && this.now() >= e.expiresAt) this.decide(e, 'expired');
    return e;
  }

  /** Records the person's decision once; false when already decided or expired. */
  decide(e: PageEntry, d: Decision): boolean {
    const entry = e as Entry;
    if (entry.decided) return false;
    if (d !== 'expired' && this.now() >= entry.expiresAt) d = 'expired';
    entry.decided = d;
    clearTimeout(entry.timer);
    for (const w of entry.waiters) w();
    entry.waiters.clear();
    return d !== 'expired';
  }

  /** Notes the full URL the page was offered at. */
  setUrl(key: string, url: string): void {
    const e = this.byKey.get(key);
    if (e) e.url = url;
  }

  url(key: string): string | undefined {
    return this.byKey.get(key)?.url;
  }

  report(key: string, outcome: Outcome): void {
    const e = this.spent.get(key) ?? this.byKey.get(key);
    if (!e || e.outcome) return;
    e.outcome = outcome;
    for (const w of e.reported) w();
    e.reported.clear();
  }

  /** The outcome of an approved change, waiting up to `ms` for the call to report it; null if it did not. */
  async outcome(p: PageEntry, ms: number): Promise<Outcome | null> {
    const e = p as Entry;
    if (!e.outcome) {
      await new Promise<void>((resolve) => {
        const done = () => (clearTimeout(t), e.reported.delete(done), resolve());
        const t = setTimeout(done, ms);
        e.reported.add(done);
      });
    }
    return e.outcome;
  }

  cancel(key: string): void {
    const e = this.byKey.get(key);
    if (e) this.decide(e, 'declined');
    this.drop(key);
  }

  async wait(key: string, ms: number | undefined, signal?: AbortSignal): Promise<Decision | 'pending' | 'unknown'> {
    const e = this.byKey.get(key);
    if (!e) return 'unknown';
    if (!e.decided && this.now() >= e.expiresAt) this.decide(e, 'expired');
    if (!e.decided && ms !== 0 && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          signal?.removeEventListener('abort', done);
          e.waiters.delete(done);
          resolve();
        };
        // A timer that holds the process: a CLI waiting for the click has nothing else keeping it alive.
        const t = setTimeout(done, ms ?? Math.max(0, e.expiresAt - this.now()) + 50);
        signal?.addEventListener('abort', done, { once: true });
        e.waiters.add(done);
      });
    }
    if (!e.decided) return 'pending';
    // Two calls waiting on one approval at once (a client retrying twice): the first to read it has it.
    if (this.byKey.get(key) !== e) return 'unknown';
    // Single use: whatever the decision, the approval is spent once a call has read it.
    this.drop(key);
    return e.decided;
  }

  private drop(key: string): void {
    const e = this.byKey.get(key);
    if (!e) return;
    clearTimeout(e.timer);
    this.byKey.delete(key);
    this.spent.set(key, e);
    // The page keeps answering "already decided" until it expires; then it is forgotten too.
    setTimeout(() => (this.byPath.delete(e.path), this.spent.delete(key)), Math.max(0, e.expiresAt - this.now())).unref();
  }
}
