/**
 * The shared store on PostgreSQL (VPSORG_STATE_URL): every replica reads and writes the same
 * rows, so a confirmation used on one is used on all, budgets count every replica's writes, task
 * cancels and results are seen everywhere, and an approval page is decided through any replica. Any failure to reach it is a `state_unavailable` refusal
 * (types.ts): a write stops before anything is sent to VPS.org. Nothing is cached across calls and
 * the pool opens new connections as needed, so the store is back by itself when the server is;
 * the schema is migrated on first use, and again after a failed attempt.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { log } from '../log.js';
import { migrate } from './migrations.js';
import { approvalsOn } from './postgres-approvals.js';
import { stateUnavailable, type ApprovalState, type BudgetLedger, type BudgetSnapshot, type SpentTokens, type StateStore, type TaskState } from './types.js';

const CONNECT_TIMEOUT_MS = 3000;
/**
 * Bounds on every exchange, so a replica frozen inside a transaction, or a database that drops
 * packets silently, turns into state_unavailable within seconds instead of holding every write
 * (each waits on the journal's lock): a lock wait, a statement, an idle open transaction (server
 * side), and the whole query as this client sees it; TCP keepalive notices a vanished peer.
 */
const SESSION_LIMITS = { lock_timeout: 5_000, statement_timeout: 15_000, idle_in_transaction_session_timeout: 30_000, query_timeout: 20_000, keepAlive: true };

/** A task id is a signed call up to 8 KB: rows are keyed by its hash (btree keys are limited in size). */
const taskKey = (id: string) => createHash('sha256').update(id).digest('base64url');

export class PostgresState implements StateStore {
  readonly kind = 'postgres';
  readonly pool: pg.Pool;
  private migrated: Promise<number> | null = null;
  readonly budget: BudgetLedger;
  readonly spent: SpentTokens;
  readonly tasks: TaskState;
  readonly approvals: ApprovalState & { close(): Promise<void> };

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, max: 10, idleTimeoutMillis: 10_000, ...SESSION_LIMITS });
    // A server going away errors its idle connections: the pool drops them; the next query reconnects.
    this.pool.on('error', (err) => log.warn(`state store: ${err.message}`));
    this.budget = budgetOn(this);
    this.spent = spentOn(this);
    this.tasks = tasksOn(this);
    this.approvals = approvalsOn(this, url);
  }

  /** Runs `fn` once the schema is current; any failure is state_unavailable. */
  async run<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
    try {
      this.migrated ??= migrate(this.pool).catch((err: unknown) => {
        this.migrated = null;
        throw err;
      });
      await this.migrated;
      return await fn(this.pool);
    } catch (err) {
      throw stateUnavailable(err);
    }
  }

  /** Runs `fn` in one transaction on one connection. */
  tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.run(async (pool) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const out = await fn(c);
        await c.query('COMMIT');
        c.release();
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        c.release(true);
        throw err;
      }
    });
  }

  async check(): Promise<void> {
    await this.run((pool) => pool.query('SELECT 1'));
  }

  async close(): Promise<void> {
    await this.approvals.close();
    await this.pool.end();
  }
}

function spentOn(s: PostgresState): SpentTokens {
  return {
    isSpent: (id, now) => s.run(async (p) => (await p.query('SELECT 1 FROM vpsorg_spent_tokens WHERE id = $1 AND expires_at > $2', [id, now])).rowCount === 1),
    spend: (id, expiresAt, now) =>
      s.run(async (p) => {
        // One statement checks and sets: of two replicas spending one token at once, one row wins.
        const won = await p.query('INSERT INTO vpsorg_spent_tokens (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE vpsorg_spent_tokens.expires_at <= $3 RETURNING id', [id, expiresAt, now]);
        await p.query('DELETE FROM vpsorg_spent_tokens WHERE expires_at <= $1', [now]);
        return won.rowCount === 1;
      }),
  };
}

function budgetOn(s: PostgresState): BudgetLedger {
  return {
    window: (zone, windowMs, now) =>
      s.run(async (p) => {
        const rows = await p.query<{ at: string; records: Array<[string, string]> }>('SELECT at, records FROM vpsorg_budget WHERE zone = $1 AND at > $2 AND at <= $3 ORDER BY at', [zone, now - windowMs, now]);
        return rows.rows.map((r): BudgetSnapshot => ({ at: Number(r.at), records: r.records }));
      }),
    note: (zone, snap, restart, everyMs, windowMs) =>
      s.tx(async (c) => {
        // Writes to one zone from every replica take turns, so "is the newest baseline a minute old" holds.
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`budget:${zone}`]);
        await c.query(restart ? 'DELETE FROM vpsorg_budget WHERE zone = $1' : 'DELETE FROM vpsorg_budget WHERE zone = $1 AND at <= $2', restart ? [zone] : [zone, snap.at - windowMs]);
        const last = Number((await c.query<{ at: string | null }>('SELECT max(at) AS at FROM vpsorg_budget WHERE zone = $1', [zone])).rows[0]?.at ?? NaN);
        if (restart || !Number.isFinite(last) || snap.at - last >= everyMs) {
          await c.query('INSERT INTO vpsorg_budget (zone, at, records) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [zone, snap.at, JSON.stringify(snap.records)]);
        }
      }),
  };
}

function tasksOn(s: PostgresState): TaskState {
  return {
    cancelled: (id, now) => s.run(async (p) => (await p.query('SELECT 1 FROM vpsorg_task_cancels WHERE task_key = $1 AND expires_at > $2', [taskKey(id), now])).rowCount === 1),
    cancel: (id, expires, now) =>
      s.run(async (p) => {
        await p.query('INSERT INTO vpsorg_task_cancels (task_key, expires_at) VALUES ($1, $2) ON CONFLICT (task_key) DO UPDATE SET expires_at = EXCLUDED.expires_at', [taskKey(id), expires]);
        await p.query('DELETE FROM vpsorg_task_cancels WHERE expires_at <= $1', [now]);
      }),
    settled: (id, now) => s.run(async (p) => (await p.query<{ view: unknown }>('SELECT view FROM vpsorg_task_results WHERE task_key = $1 AND expires_at > $2', [taskKey(id), now])).rows[0]?.view),
    settle: (id, view, expires, now) =>
      s.run(async (p) => {
        await p.query('INSERT INTO vpsorg_task_results (task_key, view, expires_at) VALUES ($1, $2, $3) ON CONFLICT (task_key) DO NOTHING', [taskKey(id), JSON.stringify(view), expires]);
        await p.query('DELETE FROM vpsorg_task_results WHERE expires_at <= $1', [now]);
      }),
  };
}
