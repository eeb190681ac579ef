/**
 * Issue 24: approvals in the PostgreSQL state store, two stores standing for two replicas on one
 * real cluster. A page filed through A is read and decided through B, and the call waiting on A
 * goes on; a decision is recorded once however many posts race, and read by one call once; the
 * outcome reported on A reaches B's page; parked approvals and reminders are shared; the page's
 * secret path is kept only as a hash. A wait rides out a PostgreSQL restart, and a decision made
 * after it is read once; an outage past the wait's bound fails it with state_unavailable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresState } from '../../src/state/postgres.js';
import { ApprovalStore } from '../../src/safety/approval-desk.js';
import type { ApprovalState } from '../../src/state/index.js';
import { approvalView } from '../../src/safety/approval-view.js';
import { freshDatabase, startPostgres, type PostgresCluster } from '../helpers/postgres.js';

const rec = { uuid: 'u', name: 'www', record_type: 'A' as const, value: '192.0.2.1', ttl: 60, priority: null };
const view = approvalView({ op: 'delete_record', zone: 'example.com', action: 'Delete', changes: [{ action: 'delete', before: rec }], current: [rec] });

let cluster: PostgresCluster;
let a: PostgresState;
let b: PostgresState;
let onA: ApprovalStore;
let onB: ApprovalStore;

beforeAll(async () => {
  cluster = await startPostgres();
  const url = await freshDatabase(cluster);
  [a, b] = [new PostgresState(url), new PostgresState(url)];
  [onA, onB] = [new ApprovalStore(Date.now, a.approvals), new ApprovalStore(Date.now, b.approvals)];
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await cluster?.destroy();
});

describe('approvals shared through PostgreSQL', () => {
  it('a page filed through A is decided through B; the call waiting on A gets the decision, once', async () => {
    const path = await onA.add({ key: 'k1', view, expiresAt: Date.now() + 60_000, requester: { channel: 'oauth', iss: 'https://idp.example', sub: 'alice' }, distinct: true });
    const waiting = onA.wait('k1', undefined);
    const page = await onB.page(path);
    expect(page).toMatchObject({ key: 'k1', decided: null, distinct: true, requester: { sub: 'alice' }, view: { op: 'delete_record', zone: 'example.com' } });
    const approver = { channel: 'oauth' as const, iss: 'https://idp.example', sub: 'bob' };
    expect(await onB.decide(page!, 'approved', approver)).toBe(true);
    expect(await waiting).toBe('approved');
    // Who decided on B is what the call on A writes into the journal entry.
    expect(await onA.decidedBy('k1')).toEqual(approver);
    // Read once: no other call, on either replica, can run the change again.
    expect(await onB.wait('k1', 0)).toBe('unknown');
    expect(await onA.wait('k1', 0)).toBe('unknown');
    expect((await onA.page(path))?.decided).toBe('approved');
    // The secret path is not in the table, only its hash.
    const rows = await a.pool.query<{ path_id: string }>('SELECT path_id FROM vpsorg_approvals WHERE key = $1', ['k1']);
    expect(rows.rows[0]?.path_id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rows.rows[0]?.path_id).not.toBe(path);
  });

  it('of ten posts racing through both replicas one decision is recorded, and of two waiting calls one reads it', async () => {
    const path = await onA.add({ key: 'k2', view, expiresAt: Date.now() + 60_000 });
    const waits = [onA.wait('k2', 10_000), onB.wait('k2', 10_000)];
    const entries = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? onA : onB).page(path)));
    const recorded = await Promise.all(entries.map((e, i) => (i % 2 ? onA : onB).decide(e!, i % 3 ? 'approved' : 'declined')));
    expect(recorded.filter(Boolean)).toHaveLength(1);
    const held = entries[recorded.indexOf(true)]!.decided;
    expect(entries.map((e) => e!.decided)).toEqual(Array(10).fill(held));
    expect((await Promise.all(waits)).sort()).toEqual([held, 'unknown'].sort());
  });

  it('the outcome reported by the call on A reaches the page answered by B', async () => {
    const path = await onA.add({ key: 'k3', view, expiresAt: Date.now() + 60_000 });
    const page = (await onB.page(path))!;
    void onA.wait('k3', 10_000).then((d) => (d === 'approved' ? onA.report('k3', { applied: true, text: 'applied on A' }) : undefined));
    await onB.decide(page, 'approved');
    expect(await onB.outcome(page, 10_000)).toEqual({ applied: true, text: 'applied on A' });
  });

  it('reminders, parking and the page URL are shared; an expired approval refuses a late click on any replica', async () => {
    await onA.add({ key: 'k4', view, expiresAt: Date.now() + 60_000, binding: 'b4', requestState: 'state-4' });
    await onA.setUrl('k4', 'http://a.example/approve/x');
    expect([await onA.remind('k4'), await onB.remind('k4')]).toEqual([1, 2]);
    expect(await onB.url('k4')).toBe('http://a.example/approve/x');
    expect(await onB.parked('b4')).toBeUndefined();
    await onA.park('k4');
    expect(await onB.parked('b4')).toMatchObject({ key: 'k4', requestState: 'state-4' });
    await onB.cancel('k4');
    expect(await onA.parked('b4')).toBeUndefined();
    expect(await onA.wait('k4', 0)).toBe('unknown');

    const late = new ApprovalStore(() => Date.now() + 120_000, b.approvals);
    const path = await onA.add({ key: 'k5', view, expiresAt: Date.now() + 60_000 });
    const page = (await late.page(path))!;
    expect(page.decided).toBe('expired');
    expect(await onA.decide(page, 'approved')).toBe(false);
    expect(await onA.wait('k5', 0)).toBe('expired');
  });

  /** A's rows, counting the reads that found the store unavailable (so a test knows the wait met the outage). */
  function counted(rows: ApprovalState) {
    const seen = { failures: 0 };
    const byKey: ApprovalState['byKey'] = (key) => rows.byKey(key).catch((err: unknown) => {
      seen.failures++;
      throw err;
    });
    return { rows: { ...rows, byKey }, seen };
  }

  async function untilFailed(seen: { failures: number }): Promise<void> {
    for (let i = 0; i < 600 && seen.failures === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(seen.failures).toBeGreaterThan(0);
  }

  it('a wait rides out a PostgreSQL restart; the decision made after it reaches the waiting call, once', async () => {
    const { rows, seen } = counted(a.approvals);
    const patient = new ApprovalStore(Date.now, rows);
    const path = await onA.add({ key: 'k6', view, expiresAt: Date.now() + 120_000 });
    const waiting = patient.wait('k6', 90_000).catch((err: unknown) => err);
    try {
      await cluster.stop();
      await untilFailed(seen);
    } finally {
      await cluster.start();
    }
    const page = (await onB.page(path))!;
    expect(page.decided).toBeNull();
    expect(await onB.decide(page, 'approved')).toBe(true);
    expect(await waiting).toBe('approved');
    expect(await onA.wait('k6', 0)).toBe('unknown');
    expect(await patient.wait('k6', 0)).toBe('unknown');
  }, 120_000);

  it('a wait fails with state_unavailable once the store stays out past its bound', async () => {
    const { rows, seen } = counted(a.approvals);
    const brief = new ApprovalStore(Date.now, rows, 1_000);
    await onA.add({ key: 'k7', view, expiresAt: Date.now() + 120_000 });
    const waiting = brief.wait('k7', 90_000).catch((err: unknown) => err);
    try {
      await cluster.stop();
      await untilFailed(seen);
      expect(await waiting).toMatchObject({ code: 'state_unavailable' });
    } finally {
      await cluster.start();
    }
    // The approval itself is untouched: still pending for a wait once the store is back.
    expect(await onA.wait('k7', 0)).toBe('pending');
  }, 120_000);
});
