/**
 * Confirmations that were used: a confirm token (or a form's state, an approval page's, an App's
 * approval) confirms its change once. The state digest alone does not make it single-use: records
 * that return to the previewed state (a TTL changed and back, an undo) would make it valid again.
 *
 * Kept by the state store (src/state), so that replicas share it with PostgreSQL; `spend` is the
 * one atomic check-and-set. Only a hash of the token's signed body is kept, never the token.
 * Entries are kept until the token expires (5 minutes); the memory store drops the oldest first
 * past MAX_ENTRIES.
 */
import { createHash } from 'node:crypto';
import { processState, type SpentTokens } from '../state/index.js';

export type { SpentTokens } from '../state/index.js';

/**
 * The stored id of a token: a hash of its signed body. The body is what the signature covers as
 * exact text, and holds the token's random nonce; the signature part is left out, since base64
 * decoding tolerates variants of it (another text, the same bytes) that must not pass as new.
 */
export function spentId(token: string): string {
  const body = token.trim().split('.')[0] ?? '';
  return createHash('sha256').update(body).digest('base64url');
}

export { MAX_SPENT as MAX_ENTRIES, MemorySpentTokens } from '../state/index.js';

/** The store the gate uses unless its context names another (GateContext.state): this process's embedded one. */
export const processSpentTokens: SpentTokens = processState.spent;
