/**
 * The state store: what must outlive one call and be the same on every replica. safety/ decides
 * from what the store tells it, and the store remembers; nothing here judges a change. Two
 * implementations: embedded (this process's memory; one process only) and PostgreSQL
 * (VPSORG_STATE_URL, shared by replicas). What may travel (tokens, receipts, resume handles,
 * budget tokens) is signed and carried by the client instead, and never kept here.
 */
import { UserError } from '../errors.js';
import { log } from '../log.js';

/** A zone as it was at a moment: record uuid -> its content (canonical JSON), for the change budget. */
export interface BudgetSnapshot {
  at: number;
  records: Array<[string, string]>;
}

/** The per-zone budget windows (safety/budget.ts counts; this keeps the baselines). */
export interface BudgetLedger {
  /** The zone's baselines within the window ending at `now`, oldest first. */
  window(zone: string, windowMs: number, now: number): Promise<BudgetSnapshot[]>;
  /**
   * Notes a write about to run on the zone as `snap`. `restart`: a human confirmed it, the window
   * starts afresh from `snap`; else `snap` is kept when the newest baseline is `everyMs` old or older.
   */
  note(zone: string, snap: BudgetSnapshot, restart: boolean, everyMs: number, windowMs: number): Promise<void>;
}

/** Confirmations that were used, by a hash of the token (safety/spent-tokens.ts spentId). */
export interface SpentTokens {
  isSpent(id: string, now: number): Promise<boolean>;
  /** Marks it spent until `expiresAt`; false when it was spent already (someone else won the race). */
  spend(id: string, expiresAt: number, now: number): Promise<boolean>;
}

/** Tasks (tools/kit/tasks.ts): cancels and settled results, by task id, until the task expires. */
export interface TaskState {
  cancelled(taskId: string, now: number): Promise<boolean>;
  cancel(taskId: string, expires: number, now: number): Promise<void>;
  /** The settled view of a task (JSON), if one was kept. */
  settled(taskId: string, now: number): Promise<unknown>;
  settle(taskId: string, view: unknown, expires: number, now: number): Promise<void>;
}

export type ApprovalDecision = 'approved' | 'declined' | 'expired';

/** One URL-mode approval as kept (safety/approval-store.ts files and reads them). */
export interface ApprovalRow {
  /** The nonce of the signed requestState the approval belongs to. */
  key: string;
  /** A hash of the page's secret path: the path itself is never kept. */
  pathId: string;
  /** The filed request as JSON (what the page shows, what it confirms); the store never reads it. */
  request: unknown;
  /** What it confirms (operation, arguments, state; a digest), to find a parked approval again. */
  binding: string | null;
  expiresAt: number;
  /** The CSRF token of the page's form. */
  csrf: string;
  url: string | null;
  decided: ApprovalDecision | null;
  /** Who decided (JSON), when the page knows: a signed-in approver. */
  decidedBy: unknown;
  /** What became of an approved change (JSON), once the call that ran it reported. */
  outcome: unknown;
  reminders: number;
  parked: boolean;
  /** A call has read the decision: an approval confirms one execution. */
  taken: boolean;
}

/** Pending and decided approvals. Every write that matters is one atomic step, whichever replica makes it. */
export interface ApprovalState {
  add(row: ApprovalRow, now: number): Promise<void>;
  byKey(key: string): Promise<ApprovalRow | null>;
  byPath(pathId: string): Promise<ApprovalRow | null>;
  /**
   * Records a decision unless one is recorded already; at or past expiresAt only 'expired' can be.
   * `recorded`: this call's decision is the one recorded; `decided`: the one that holds (null: no such approval).
   */
  decide(key: string, decision: ApprovalDecision, now: number, by?: unknown): Promise<{ recorded: boolean; decided: ApprovalDecision | null }>;
  /** Marks a decided approval read by a call, once: its decision for the first caller, null for any other. */
  take(key: string): Promise<ApprovalDecision | null>;
  setUrl(key: string, url: string): Promise<void>;
  park(key: string): Promise<void>;
  /** Counts a reminder of an approval no call has read; the count, this one included (0: no such approval). */
  remind(key: string): Promise<number>;
  /** Keeps the first outcome reported. */
  report(key: string, outcome: unknown): Promise<void>;
  /** A parked approval with this binding that no call has read and that has not expired. */
  parked(binding: string, now: number): Promise<ApprovalRow | null>;
  /** Resolves when the approval may have changed (a decision, an outcome), after `ms` at the latest, or on abort. */
  changed(key: string, ms: number, signal?: AbortSignal): Promise<void>;
}

export interface StateStore {
  readonly kind: 'embedded' | 'postgres';
  readonly budget: BudgetLedger;
  readonly spent: SpentTokens;
  readonly tasks: TaskState;
  readonly approvals: ApprovalState;
  /** Throws when the store cannot be used now (for /readyz). */
  check(): Promise<void>;
  close(): Promise<void>;
}

/**
 * What went wrong, in words a model may read: the driver's own text (host names, user names, SQL)
 * goes to the operator's log only.
 */
function reasonOf(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') return 'cannot connect';
  if (code === 'ETIMEDOUT' || /timeout/i.test(cause instanceof Error ? cause.message : '')) return 'timed out';
  if (code === '28P01' || code === '28000') return 'authentication failed';
  if (typeof code === 'string' && code.startsWith('57P')) return 'the database is shutting down or restarting';
  return 'the store did not answer';
}

/** The store did not answer: a write is refused before anything is sent to VPS.org. */
export function stateUnavailable(cause: unknown): UserError {
  log.warn(`state store: ${cause instanceof Error ? cause.message : String(cause)}`);
  return new UserError(`The shared state store (VPSORG_STATE_URL) is unavailable (${reasonOf(cause)}), so no change was made: nothing was sent to VPS.org.`, {
    code: 'state_unavailable',
    hint: 'Reading tools still work. Try the change again shortly: the server reconnects by itself when the store is back. Operators: check the PostgreSQL server and /readyz.',
    cause,
  });
}
