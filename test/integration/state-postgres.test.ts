/**
 * Issue 24: the PostgreSQL state store on a real throw-away cluster (test/helpers/postgres.ts).
 * Replicas starting together migrate once; a confirmation spent through one store is spent for
 * every other, with one winner when two race; budget baselines and task cancels are shared; a
 * stopped server makes every call state_unavailable and the same store works again once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { PostgresState } from '../../src/state/postgres.js';
import { MIGRATIONS } from '../../src/state/migrations.js';
import { TaskBook } from '../../src/tools/kit/tasks.js';
import { signTaskId } from '../../src/safety/task-id.js';
import { freshDatabase, startPostgres, type PostgresCluster } from '../helpers/postgres.js';

let cluster: PostgresCluster;
/** A database of its own per test, so tests share the cluster and nothing else. */
const freshUrl = () => freshDatabase(cluster);

beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.destroy();
});

describe('PostgreSQL state store', () => {
  it('replicas starting together migrate the schema once', async () => {
    const url = await freshUrl();
    const stores = Array.from({ length: 4 }, () => new PostgresState(url));
    try {
      await Promise.all(stores.map((s) => s.check()));
      const rows = await stores[0]!.pool.query<{ version: number }>('SELECT version FROM vpsorg_migrations ORDER BY version');
      expect(rows.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('a lock held by a frozen replica turns into state_unavailable within seconds, not a hang', async () => {
    const url = await freshUrl();
    const frozen = new PostgresState(url);
    const s = new PostgresState(url);
    const held = await frozen.pool.connect();
    try {
      await s.check();
      await held.query('BEGIN');
      await held.query('SELECT pg_advisory_xact_lock(12345)');
      const err = await s.tx((c) => c.query('SELECT pg_advisory_xact_lock(12345)')).catch((e: unknown) => e);
      expect((err as UserError).code).toBe('state_unavailable');
      await held.query('ROLLBACK');
      await s.tx((c) => c.query('SELECT pg_advisory_xact_lock(12345)'));
    } finally {
      held.release();
      await Promise.all([frozen.close(), s.close()]);
    }
  }, 30_000);

  it('a used confirmation is used for every replica, and of two racing exactly one wins', async () => {
    const url = await freshUrl();
    const [a, b] = [new PostgresState(url), new PostgresState(url)];
    try {
      const now = Date.now();
      expect(await a.spent.spend('tok1', now + 60_000, now)).toBe(true);
      expect(await b.spent.isSpent('tok1', now)).toBe(true);
      expect(await b.spent.spend('tok1', now + 60_000, now)).toBe(false);
      const race = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).spent.spend('tok2', now + 60_000, now)));
      expect(race.filter(Boolean)).toHaveLength(1);
      // Only what the gate hands it is stored: a hash id, never a token.
      expect((await a.pool.query('SELECT id FROM vpsorg_spent_tokens ORDER BY id')).rows.map((r: { id: string }) => r.id)).toEqual(['tok1', 'tok2']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('budget baselines and task cancels written through one replica are read through another', async () => {
    const url = await freshUrl();
    const [a, b] = [new PostgresState(url), new PostgresState(url)];
    try {
      const t = Date.now();
      await a.budget.note('zone-1', { at: t, records: [['r1', 'x']] }, false, 60_000, 600_000);
      await b.budget.note('zone-1', { at: t + 1000, records: [['r1', 'y']] }, false, 60_000, 600_000);
      // The second note came within a minute of the first: the oldest baseline stays the only one.
      expect(await b.budget.window('zone-1', 600_000, t + 2000)).toEqual([{ at: t, records: [['r1', 'x']] }]);
      await b.budget.note('zone-1', { at: t + 3000, records: [['r1', 'z']] }, true, 60_000, 600_000);
      expect(await a.budget.window('zone-1', 600_000, t + 4000)).toEqual([{ at: t + 3000, records: [['r1', 'z']] }]);
      expect(await a.budget.window('zone-1', 600_000, t + 3000 + 600_000)).toEqual([]);

      expect(await b.tasks.cancelled('task-x', t)).toBe(false);
      await a.tasks.cancel('task-x', t + 60_000, t);
      expect(await b.tasks.cancelled('task-x', t)).toBe(true);
      await a.tasks.settle('task-y', { status: 'completed' }, t + 60_000, t);
      expect(await b.tasks.settled('task-y', t)).toEqual({ status: 'completed' });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a task cancelled through one replica reads cancelled through another, which runs no more rounds', async () => {
    const url = await freshUrl();
    const [a, b] = [new PostgresState(url), new PostgresState(url)];
    try {
      const secret = 'tasks-secret-0123456789abcdef';
      const now = Date.now();
      const id = signTaskId(secret, { tool: 'check_propagation', args: { zone: 'example.com', resume: 'r' }, created: now, expires: now + 60_000 });
      const [onA, onB] = [new TaskBook(secret, Date.now, a.tasks), new TaskBook(secret, Date.now, b.tasks)];
      let rounds = 0;
      const poll = async () => (rounds++, { result: { content: [{ type: 'text' as const, text: 'waiting' }] }, done: false, message: 'waiting' });
      expect((await onB.get(id, poll)).status).toBe('working');
      await onA.cancel(id);
      expect((await onB.get(id, poll)).status).toBe('cancelled');
      expect(rounds).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a stopped server refuses with state_unavailable, and the same store works again once it is back', async () => {
    const url = await freshUrl();
    const s = new PostgresState(url);
    try {
      await s.check();
      await cluster.stop();
      const err = await s.spent.spend('tok3', Date.now() + 60_000, Date.now()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).code).toBe('state_unavailable');
      expect((err as UserError).message).toMatch(/unavailable \(cannot connect\).*nothing was sent to VPS\.org/);
      // The driver's own words (socket paths, user names) stay in the operator's log.
      expect((err as UserError).message).not.toMatch(/ECONNREFUSED|ENOENT|PGSQL|\/tmp\//);
      await expect(s.check()).rejects.toMatchObject({ code: 'state_unavailable' });
      await cluster.start();
      await s.check();
      expect(await s.spent.spend('tok3', Date.now() + 60_000, Date.now())).toBe(true);
    } finally {
      await cluster.start();
      await s.close();
    }
  }, 30_000);
});
