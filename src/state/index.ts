/**
 * Which state store this process uses: VPSORG_STATE_URL unset, the embedded one (memory, one
 * process); a postgres:// URL, the shared one. `pg` is loaded only then, so the stdio start path
 * does not grow.
 */
import { addSecret } from '../log.js';
import { EmbeddedState } from './memory.js';
import type { StateStore } from './types.js';
import type { PostgresState } from './postgres.js';

export type { ApprovalDecision, ApprovalRow, ApprovalState, BudgetLedger, BudgetSnapshot, SpentTokens, StateStore, TaskState } from './types.js';
export { MemoryApprovals, APPROVAL_KEEP_MS } from './approvals.js';
export { stateUnavailable } from './types.js';
export { EmbeddedState, MemoryBudgetLedger, MemorySpentTokens, MemoryTaskState, MAX_SPENT } from './memory.js';

/** The embedded store of this process: what a context that names no other store uses. */
export const processState = new EmbeddedState();

const shared = new Map<string, Promise<PostgresState>>();

/**
 * The PostgreSQL store of `url`, one per URL in this process: the state and the journal
 * (history/store/pg-journal.ts) share its pool. After close(), the next call opens a new one.
 */
export function sharedPostgres(url: string): Promise<PostgresState> {
  let open = shared.get(url);
  if (!open) {
    // The password never reaches a log line or a result (the URL as a whole is a secret setting too).
    addSecret(decodeURIComponent(new URL(url).password) || undefined);
    open = import('./postgres.js').then(({ PostgresState }) => new PostgresState(url));
    shared.set(url, open);
  }
  const mine = open;
  return mine.then((s) => {
    if (!s.pool.ending) return s;
    if (shared.get(url) === mine) shared.delete(url);
    return sharedPostgres(url);
  });
}

export async function openState(url: string | undefined): Promise<StateStore> {
  return url ? sharedPostgres(url) : processState;
}
