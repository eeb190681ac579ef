/**
 * Confirmations that were used: a confirm token (or a form's state, an approval page's, an App's
 * approval) confirms its change once. The state digest alone does not make it single-use: records
 * that return to the previewed state (a TTL changed and back, an undo) would make it valid again.
 *
 * Behind a small interface so that replicas can share one store (issue 24: PostgreSQL); `spend` is
 * the one atomic check-and-set such a store needs (INSERT ... ON CONFLICT DO NOTHING). Only a hash
 * of the token's signed body is kept, never the token. Entries are kept until the token expires
 * (5 minutes), which bounds the memory store; past MAX_ENTRIES the oldest go first.
 */
import { createHash } from 'node:crypto';

export interface SpentTokens {
  /** Whether this token (its id, see spentId) confirmed a change already. */
  isSpent(id: string, now: number): Promise<boolean>;
  /** Marks it spent until `expiresAt`; false when it was spent already (someone else won the race). */
  spend(id: string, expiresAt: number, now: number): Promise<boolean>;
}

/**
 * The stored id of a token: a hash of its signed body. The body is what the signature covers as
 * exact text, and holds the token's random nonce; the signature part is left out, since base64
 * decoding tolerates variants of it (another text, the same bytes) that must not pass as new.
 */
export function spentId(token: string): string {
  const body = token.trim().split('.')[0] ?? '';
  return createHash('sha256').update(body).digest('base64url');
}

/** More than any honest load issues in 5 minutes; a flood of them evicts the oldest first. */
export const MAX_ENTRIES = 50_000;

/** The process's own store: enough for stdio and a single HTTP replica. */
export class MemorySpentTokens implements SpentTokens {
  private readonly until = new Map<string, number>();

  constructor(private readonly max = MAX_ENTRIES) {}

  async isSpent(id: string, now: number): Promise<boolean> {
    return this.holds(id, now);
  }

  async spend(id: string, expiresAt: number, now: number): Promise<boolean> {
    // Check and set with no await between them: two calls at once cannot both win.
    if (this.holds(id, now)) return false;
    this.until.set(id, expiresAt);
    this.prune(now);
    return true;
  }

  private holds(id: string, now: number): boolean {
    const exp = this.until.get(id);
    return exp !== undefined && exp > now;
  }

  get size(): number {
    return this.until.size;
  }

  private prune(now: number): void {
    if (this.until.size <= this.max) return;
    for (const [id, exp] of this.until) if (exp <= now) this.until.delete(id);
    // A Map iterates in insertion order: the oldest first.
    for (const id of this.until.keys()) {
      if (this.until.size <= this.max) break;
      this.until.delete(id);
    }
  }
}

/** The store the gate uses unless its context names another (GateContext.spentTokens). */
export const processSpentTokens: SpentTokens = new MemorySpentTokens();
