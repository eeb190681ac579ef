/**
 * The PostgreSQL schema, created and migrated by the server itself. Each migration runs once, in
 * its own transaction, in order; replicas starting together take one advisory lock, so exactly one
 * of them migrates and the others find the work done. Add a migration, never edit a shipped one.
 */
import type { Pool } from 'pg';

/** The advisory lock key of the migrations (any constant: it only has to be the same on every replica). */
const MIGRATION_LOCK = 0x76707330;

export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE vpsorg_spent_tokens (id text PRIMARY KEY, expires_at bigint NOT NULL);
   CREATE INDEX vpsorg_spent_tokens_exp ON vpsorg_spent_tokens (expires_at);
   CREATE TABLE vpsorg_budget (zone text NOT NULL, at bigint NOT NULL, records jsonb NOT NULL, PRIMARY KEY (zone, at));
   CREATE TABLE vpsorg_task_cancels (task_key text PRIMARY KEY, expires_at bigint NOT NULL);
   CREATE TABLE vpsorg_task_results (task_key text PRIMARY KEY, view jsonb NOT NULL, expires_at bigint NOT NULL);`,
  // The change journal (history/store/pg-journal.ts): one keyed hash chain, in `seq` order. `line` is
  // the entry's JSON exactly as chained (jsonb would reorder and renormalise it); `origin` is the hash
  // an imported entry had in its file journal, so importing that file again adds nothing.
  `CREATE TABLE vpsorg_journal (seq bigserial PRIMARY KEY, change_id text NOT NULL, line text NOT NULL, hash text NOT NULL, origin text UNIQUE);
   CREATE INDEX vpsorg_journal_change ON vpsorg_journal (change_id);`,
  // 3: pending and decided approvals (state/postgres-approvals.ts); the page's path only as a hash.
  `CREATE TABLE vpsorg_approvals (
     key text PRIMARY KEY, path_id text NOT NULL UNIQUE, request jsonb NOT NULL, binding text,
     expires_at bigint NOT NULL, csrf text NOT NULL, url text,
     decided text CHECK (decided IN ('approved', 'declined', 'expired')), decided_by jsonb, outcome jsonb,
     reminders integer NOT NULL DEFAULT 0, parked boolean NOT NULL DEFAULT false, taken boolean NOT NULL DEFAULT false);
   CREATE INDEX vpsorg_approvals_exp ON vpsorg_approvals (expires_at);
   CREATE INDEX vpsorg_approvals_parked ON vpsorg_approvals (binding) WHERE parked AND NOT taken;`,
  // 4: what list_changes filters and orders on, beside each chained line (history/store/page.ts
  // derives it), so a listing pages through the whole journal in SQL. Rows written before this (or by
  // an older replica) have kind NULL until the journal fills them in (pg-listing.ts); `at` orders as
  // bytes, as the listing of the file journal compares its ISO times.
  `ALTER TABLE vpsorg_journal ADD COLUMN kind text, ADD COLUMN at text COLLATE "C", ADD COLUMN zone_domain text,
     ADD COLUMN zone_uuid text, ADD COLUMN actor text, ADD COLUMN pending text, ADD COLUMN outcome text;
   CREATE INDEX vpsorg_journal_unfilled ON vpsorg_journal (seq) WHERE kind IS NULL;
   CREATE INDEX vpsorg_journal_time ON vpsorg_journal (at, seq) WHERE kind IN ('change', 'pending');
   CREATE INDEX vpsorg_journal_zone ON vpsorg_journal (zone_domain, at, seq) WHERE kind IN ('change', 'pending');
   CREATE INDEX vpsorg_journal_zone_uuid ON vpsorg_journal (zone_uuid, at, seq) WHERE kind IN ('change', 'pending');
   CREATE INDEX vpsorg_journal_actor ON vpsorg_journal (actor, at, seq) WHERE kind IN ('change', 'pending');
   CREATE INDEX vpsorg_journal_completes ON vpsorg_journal (pending) WHERE pending IS NOT NULL;`,
];

export async function migrate(pool: Pool): Promise<number> {
  const c = await pool.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await c.query('CREATE TABLE IF NOT EXISTS vpsorg_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = Number((await c.query<{ v: number | null }>('SELECT max(version) AS v FROM vpsorg_migrations')).rows[0]?.v ?? 0);
      for (let v = done + 1; v <= MIGRATIONS.length; v++) {
        await c.query('BEGIN');
        try {
          await c.query(MIGRATIONS[v - 1]!);
          await c.query('INSERT INTO vpsorg_migrations (version) VALUES ($1)', [v]);
          await c.query('COMMIT');
        } catch (err) {
          await c.query('ROLLBACK');
          throw err;
        }
      }
      return MIGRATIONS.length;
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    c.release();
  }
}
