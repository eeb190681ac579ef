/**
 * Pending URL-mode approvals: what each page shows, and the person's decision. The gate files an
 * approval under the nonce of the requestState it hands the client, and the retried call waits
 * here for the click. The page itself is served by src/http/approval-page.ts. Approvals live in
 * the state store (approval-store.ts): this process's memory, or PostgreSQL shared by replicas. A
 * decision is kept on the server only, never carried by the client or the model, so neither can
 * forge one.
 */
import type { ApprovalView } from './approval-view.js';
import type { ApproverRule } from './approver.js';
import type { Actor } from './scopes.js';
import { ApprovalStore } from './approval-store.js';

export { ApprovalStore } from './approval-store.js';

export type Decision = 'approved' | 'declined' | 'expired';

/** What became of an approved change, for the page to tell the person. */
export interface Outcome {
  applied: boolean;
  text: string;
}

/** `requester`: who asked; `distinct`: only a second, signed-in person may decide (approver.ts mayDecide). */
export interface ApprovalRequest extends ApproverRule {
  /** The nonce of the signed requestState this approval belongs to. */
  key: string;
  view: ApprovalView;
  /** When the approval stops working (ms since the epoch). */
  expiresAt: number;
  /** What the approval confirms (operation, arguments, state; a digest) and the signed requestState that carries it. */
  binding?: string;
  requestState?: string;
}

/** An approval handed back to the model (its client did not open the page): found again by what it confirms. */
export interface ParkedApproval {
  key: string;
  requestState: string;
  expiresAt: number;
}

/** One pending approval as the page sees it (with who asked, and whether a second person must decide). */
export interface PageEntry extends ApproverRule {
  key: string;
  view: ApprovalView;
  /** The request as it was filed (server-side only: it holds the signed requestState). */
  request: ApprovalRequest;
  expiresAt: number;
  /** The CSRF token the page's form carries; a POST without it is refused. */
  csrf: string;
  decided: Decision | null;
  /** Set once the approved call ran (or was refused, e.g. the zone changed meanwhile). */
  outcome: Outcome | null;
  /** Who decided, when the page knows: the approver who signed in. */
  decidedBy?: Actor;
}

export interface ApprovalDesk {
  /** Files an approval and returns the one-time URL of its page (under `origin` when the server answers on several). */
  open(req: ApprovalRequest, origin?: string): Promise<string>;
  /**
   * The decision, waiting up to `ms` (undefined: until expiry) for the click. `pending` when the
   * wait ran out first; `unknown` when the store holds no such approval (used already, expired
   * long ago, or kept in another process's memory). An approval is handed out once: it confirms
   * one execution.
   */
  wait(key: string, ms: number | undefined, signal?: AbortSignal): Promise<Decision | 'pending' | 'unknown'>;
  /** Ends an approval without a click (the client declined to open the page). */
  cancel(key: string): Promise<void>;
  /** The page URL of a pending approval (to ask again after a wait ran out). */
  url(key: string): Promise<string | undefined>;
  /** What became of an approved change, shown to the person on the page. */
  report(key: string, outcome: Outcome): Promise<void>;
  /** Counts a reminder sent for a pending approval; returns how many were sent, this one included. */
  remind(key: string): Promise<number>;
  /**
   * Leaves a pending approval open for the person without a call waiting on it (the client did
   * not open the page): a later call for the same change finds it with `parked` and reads it.
   */
  park(key: string): Promise<void>;
  parked(binding: string): Promise<ParkedApproval | undefined>;
  /** The signed-in approver who decided, when one did (VPSORG_REQUIRE_DISTINCT_APPROVER): for the change's journal entry. */
  decidedBy(key: string): Promise<Actor | undefined>;
}

/** The desk over a store, with `open` supplied by whoever serves the pages. */
export function storeDesk(store: ApprovalStore, open: ApprovalDesk['open']): ApprovalDesk {
  return {
    open,
    wait: (key, ms, signal) => store.wait(key, ms, signal),
    cancel: (key) => store.cancel(key),
    url: (key) => store.url(key),
    report: (key, outcome) => store.report(key, outcome),
    remind: (key) => store.remind(key),
    park: (key) => store.park(key),
    parked: (binding) => store.parked(binding),
    decidedBy: (key) => store.decidedBy(key),
  };
}

