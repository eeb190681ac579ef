/**
 * The in-memory store behind the approval desk (approval-desk.ts) and its pages: approvals by key
 * (the gate), by secret path (the page), and, once parked, by what they confirm.
 */
import { randomBytes } from 'node:crypto';
import type { ApprovalRequest, Decision, Outcome, PageEntry, ParkedApproval } from './approval-desk.js';
import type { Actor } from './scopes.js';

interface Entry extends PageEntry {
  key: string;
  path: string;
  url?: string;
  binding?: string;
  requestState?: string;
  reminders: number;
  parked: boolean;
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
    const entry: Entry = { key: req.key, path, ...(req.binding ? { binding: req.binding } : {}), ...(req.requestState ? { requestState: req.requestState } : {}), ...(req.requester ? { requester: req.requester } : {}), ...(req.distinct ? { distinct: true } : {}), reminders: 0, parked: false, view: req.view, expiresAt: req.expiresAt, csrf: randomBytes(24).toString('base64url'), decided: null, outcome: null, waiters: new Set(), reported: new Set(), timer: setTimeout(() => this.decide(entry, 'expired'), Math.max(0, req.expiresAt - this.now())) };
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

  /** Records the person's decision once (`by`: the approver who signed in, if one did); false when already decided or expired. */
  decide(e: PageEntry, d: Decision, by?: Actor): boolean {
    const entry = e as Entry;
    if (entry.decided) return false;
    if (d !== 'expired' && this.now() >= entry.expiresAt) d = 'expired';
    entry.decided = d;
    if (by && d !== 'expired') entry.decidedBy = by;
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

  decidedBy(key: string): Actor | undefined {
    return (this.byKey.get(key) ?? this.spent.get(key))?.decidedBy;
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

  remind(key: string): number {
    const e = this.byKey.get(key);
    return e ? ++e.reminders : 0;
  }

  park(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.parked = true;
  }

  /** A parked approval for this binding that no call has read yet and that has not expired. */
  parked(binding: string): ParkedApproval | undefined {
    for (const e of this.byKey.values()) {
      if (e.parked && e.binding === binding && e.requestState && this.now() < e.expiresAt) return { key: e.key, requestState: e.requestState, expiresAt: e.expiresAt };
    }
    return undefined;
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
