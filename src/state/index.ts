/**
 * Which state store this process uses: VPSORG_STATE_URL unset, the embedded one (memory, one
 * process); a postgres:// URL, the shared one. `pg` is loaded only then, so the stdio start path
 * does not grow.
 */
import { addSecret } from '../log.js';
import { EmbeddedState } from './memory.js';
import type { StateStore } from './types.js';

export type { ApprovalDecision, ApprovalRow, ApprovalState, BudgetLedger, BudgetSnapshot, SpentTokens, StateStore, TaskState } from './types.js';
export { MemoryApprovals, APPROVAL_KEEP_MS } from './approvals.js';
export { stateUnavailable } from './types.js';
export { EmbeddedState, MemoryBudgetLedger, MemorySpentTokens, MemoryTaskState, MAX_SPENT } from './memory.js';

/** The embedded store of this process: what a context that names no other store uses. */
export const processState = new EmbeddedState();

export async function openState(url: string | undefined): Promise<StateStore> {
  if (!url) return processState;
  // The password never reaches a log line or a result (the URL as a whole is a secret setting too).
  addSecret(decodeURIComponent(new URL(url).password) || undefined);
  const { PostgresState } = await import('./postgres.js');
  return new PostgresState(url);
}
