/**
 * Approvals on PostgreSQL: a page served by one replica is decided through any other. A decision
 * is one conditional UPDATE (the first one wins, whichever replica it reaches), and so is a call
 * reading it (one call runs the change). A change is announced with NOTIFY; a waiting call LISTENs
 * on a connection of its own and still re-reads on a bounded poll, so a lost notification (or a
 * lost listener) costs latency, never the decision.
 */
import pg from 'pg';
import { APPROVAL_KEEP_MS, KeyWaiters } from './approvals.js';
import type { PostgresState } from './postgres.js';
import type { ApprovalDecision, ApprovalRow, ApprovalState } from './types.js';

const CHANNEL = 'vpsorg_approvals';
const COLUMNS = 'key, path_id, request, binding, expires_at, csrf, url, decided, decided_by, outcome, reminders, parked, taken';

interface Raw {
  key: string;
  path_id: string;
  request: unknown;
  binding: string | null;
  expires_at: string;
  csrf: string;
  url: string | null;
  decided: ApprovalDecision | null;
  decided_by: unknown;
  outcome: unknown;
  reminders: number;
  parked: boolean;
  taken: boolean;
}

const rowOf = (r: Raw | undefined): ApprovalRow | null =>
  r ? { key: r.key, pathId: r.path_id, request: r.request, binding: r.binding, expiresAt: Number(r.expires_at), csrf: r.csrf, url: r.url, decided: r.decided, decidedBy: r.decided_by, outcome: r.outcome, reminders: r.reminders, parked: r.parked, taken: r.taken } : null;

/** One LISTEN connection per store, opened when a wait first needs it and again after it is lost. */
class Listener {
  private client: pg.Client | null = null;
  private connecting = false;
  private closed = false;

  constructor(private readonly url: string, private readonly waiters: KeyWaiters) {}

  ensure(): void {
    if (this.client || this.connecting || this.closed) return;
    this.connecting = true;
    const c = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 3000 });
    const lost = () => {
      if (this.client === c) this.client = null;
      void c.end().catch(() => undefined);
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', (n) => n.payload && this.waiters.wake(n.payload));
    c.connect()
      .then(() => c.query(`LISTEN ${CHANNEL}`))
      .then(() => (this.closed ? lost() : (this.client = c)))
      .catch(lost)
      .finally(() => (this.connecting = false));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}

export function approvalsOn(s: PostgresState, url: string): ApprovalState & { close(): Promise<void> } {
  const waiters = new KeyWaiters();
  const listener = new Listener(url, waiters);
  const one = (sql: string, params: unknown[]) => s.run(async (p) => rowOf((await p.query<Raw>(sql, params)).rows[0]));
  const announce = (p: pg.Pool, key: string) => p.query('SELECT pg_notify($1, $2)', [CHANNEL, key]);
  return {
    add: (r, now) =>
      s.run(async (p) => {
        await p.query('DELETE FROM vpsorg_approvals WHERE expires_at <= $1', [now - APPROVAL_KEEP_MS]);
        await p.query(`INSERT INTO vpsorg_approvals (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, [r.key, r.pathId, JSON.stringify(r.request), r.binding, r.expiresAt, r.csrf, r.url, r.decided, r.decidedBy == null ? null : JSON.stringify(r.decidedBy), r.outcome == null ? null : JSON.stringify(r.outcome), r.reminders, r.parked, r.taken]);
      }),
    byKey: (key) => one(`SELECT ${COLUMNS} FROM vpsorg_approvals WHERE key = $1`, [key]),
    byPath: (pathId) => one(`SELECT ${COLUMNS} FROM vpsorg_approvals WHERE path_id = $1`, [pathId]),
    decide: (key, decision, now, by) =>
      s.run(async (p) => {
        // One statement decides: of two posts on two replicas, the row takes the first; the other reads what holds.
        const won = await p.query<{ decided: ApprovalDecision }>("UPDATE vpsorg_approvals SET decided = CASE WHEN $3 >= expires_at THEN 'expired' ELSE $2 END, decided_by = CASE WHEN $3 >= expires_at THEN NULL ELSE $4::jsonb END WHERE key = $1 AND decided IS NULL RETURNING decided", [key, decision, now, by == null ? null : JSON.stringify(by)]);
        const mine = won.rows[0]?.decided;
        if (mine) {
          await announce(p, key);
          return { recorded: mine === decision, decided: mine };
        }
        const held = await p.query<{ decided: ApprovalDecision }>('SELECT decided FROM vpsorg_approvals WHERE key = $1', [key]);
        return { recorded: false, decided: held.rows[0]?.decided ?? null };
      }),
    take: (key) => s.run(async (p) => (await p.query<{ decided: ApprovalDecision }>('UPDATE vpsorg_approvals SET taken = true WHERE key = $1 AND NOT taken AND decided IS NOT NULL RETURNING decided', [key])).rows[0]?.decided ?? null),
    setUrl: (key, u) => s.run(async (p) => void (await p.query('UPDATE vpsorg_approvals SET url = $2 WHERE key = $1', [key, u]))),
    park: (key) => s.run(async (p) => void (await p.query('UPDATE vpsorg_approvals SET parked = true WHERE key = $1 AND NOT taken', [key]))),
    remind: (key) => s.run(async (p) => (await p.query<{ reminders: number }>('UPDATE vpsorg_approvals SET reminders = reminders + 1 WHERE key = $1 AND NOT taken RETURNING reminders', [key])).rows[0]?.reminders ?? 0),
    report: (key, outcome) =>
      s.run(async (p) => {
        const set = await p.query('UPDATE vpsorg_approvals SET outcome = $2 WHERE key = $1 AND outcome IS NULL', [key, JSON.stringify(outcome)]);
        if (set.rowCount) await announce(p, key);
      }),
    parked: (binding, now) => one(`SELECT ${COLUMNS} FROM vpsorg_approvals WHERE binding = $1 AND parked AND NOT taken AND expires_at > $2 LIMIT 1`, [binding, now]),
    changed(key, ms, signal) {
      listener.ensure();
      return waiters.wait(key, ms, signal);
    },
    close: () => listener.close(),
  };
}
