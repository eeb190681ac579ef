/**
 * Issue 24, the shared journal: two server processes on one PostgreSQL keep one hash chain. 50
 * writes at once through both leave a chain `journal verify` accepts and that list_changes shows
 * the same on either; a replica killed after its write reached VPS.org but before the journal
 * recorded it leaves the write listed as of unknown outcome (what was asked), never missing, and
 * undo refuses it; a write whose pending entry cannot reach PostgreSQL is not sent; a file
 * journal is imported once, and its changes undo through a replica.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { cli } from '../helpers/cli.js';
import { startHarness } from '../helpers/harness.js';
import type { PostgresCluster } from '../helpers/postgres.js';
import { callReplica as call, emulatedReplicas, replica, type EmulatedReplicas, type Replica } from '../helpers/replicas.js';
import { recordOf, writes } from './safety-helpers.js';

const SECRET = 'journal-secret-0123456789abcdef';
let pair: EmulatedReplicas;
let pg: PostgresCluster;
let emu: Emulator;
let a: Replica;
let b: Replica;
let env: Record<string, string>;

beforeAll(async () => {
  pair = await emulatedReplicas({ VPSORG_CONFIRM_SECRET: SECRET, VPSORG_TIMEOUT_MS: '120000' });
  ({ pg, emu, a, b, env } = pair);
}, 90_000);
afterAll(() => pair?.close());

type Item = { change_id: string; tool: string; zone: string; status?: string; asked?: string; undone: boolean };
const changes = async (r: Replica, zone?: string) => {
  const res = await call(r, 'list_changes', { limit: 100, ...(zone ? { zone } : {}) });
  expect(res.isError, res.text).toBe(false);
  return res.structured as { journal: { entries: number; chain: string }; changes: Item[] };
};

describe('one journal for every replica', () => {
  it('50 writes at once through two replicas leave one unbroken chain, listed alike on both', async () => {
    // A zone each: the test is about the journal, not the per-zone change budget.
    for (let i = 0; i < 50; i++) emu.store.addZone(`j${i}.example`, [{ record_type: 'A', name: '@', value: '192.0.2.1' }]);
    const done = await Promise.all(Array.from({ length: 50 }, (_, i) => call(i % 2 ? b : a, 'create_record', { zone: `j${i}.example`, name: 'www', record_type: 'A', value: `192.0.2.${i + 10}` })));
    for (const d of done) expect(d.structured, d.text).toMatchObject({ applied: true });
    const ids = done.map((d) => (d.structured?.['undo'] as { change_id: string }).change_id);

    const verify = await cli(['journal', 'verify'], env);
    expect(verify.code, verify.stderr).toBe(0);
    // Each write: its pending entry, then its change.
    expect(verify.stdout).toMatch(/PostgreSQL journal .*: 100 entries, hash chain intact, 50 receipt\(s\) match their entries\.$/m);
    const [onA, onB] = [await changes(a), await changes(b)];
    expect(onA.journal).toMatchObject({ entries: 100, chain: 'ok' });
    expect(onB).toEqual(onA);
    expect(onA.changes.map((c) => c.change_id).sort()).toEqual([...ids].sort());
  }, 120_000);

  it('a replica killed between the API call and the journal completion leaves the write listed as unknown, never missing; undo refuses it', async () => {
    try {
      emu.store.addZone('killed.example', [{ record_type: 'A', name: '@', value: '192.0.2.1' }]);
      // The write is made, its answer never comes: the replica is killed while it waits (its API
      // timeout, VPSORG_TIMEOUT_MS in the set-up, is far off, so it never reads back and completes instead).
      emu.faults.add({ kind: 'hang_after', method: 'POST', path: '/records/' });
      const cut = call(a, 'create_record', { zone: 'killed.example', name: 'cut', record_type: 'A', value: '192.0.2.99' }).catch((err: unknown) => err);
      for (let i = 0; i < 2400 && !emu.store.findZone('killed.example')?.records?.some((r) => r.name === 'cut'); i++) await new Promise((r) => setTimeout(r, 25));
      expect(recordOf(emu, 'killed.example', 'cut', 'A').value).toBe('192.0.2.99');
      a.child.kill('SIGKILL');
      await cut;
      emu.faults.clear();

      const listed = (await changes(b, 'killed.example')).changes;
      expect(listed).toEqual([expect.objectContaining({ tool: 'create_record', zone: 'killed.example', status: 'unknown', undone: false })]);
      expect(JSON.parse(listed[0]?.asked ?? '')).toEqual({ zone: 'killed.example', name: 'cut', record_type: 'A', value: '192.0.2.99' });
      const undo = await call(b, 'undo_change', { change_id: listed[0]?.change_id });
      expect(undo.isError, undo.text).toBe(true);
      expect(undo.code).toBe('outcome_unknown');
      expect(undo.text).toMatch(/outcome is unknown[\s\S]*list_records/);
      const verify = await cli(['journal', 'verify'], env);
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/hash chain intact.* 1 write\(s\) of unknown outcome/);
    } finally {
      // The next tests need two replicas, whatever happened here.
      if (a.child.killed || a.child.exitCode !== null) a = pair.a = await replica(env);
    }
  }, 120_000);

  it('a write whose pending entry cannot reach PostgreSQL is refused before anything is sent; list_changes says the journal is unavailable', async () => {
    // The gate's store is this process's memory here, so only the journal meets the outage.
    const h = await startHarness({ emu, env: { VPSORG_STATE_URL: pg.url, VPSORG_CONFIRM_SECRET: SECRET } });
    try {
      await pg.stop();
      try {
        emu.requests.length = 0;
        const w = await h.call('create_record', { zone: 'example.com', name: 'nojournal', record_type: 'A', value: '192.0.2.51' });
        expect(w.isError, w.text).toBe(true);
        expect(w.text).toMatch(/state store \(VPSORG_STATE_URL\) is unavailable.*nothing was sent to VPS\.org/);
        expect(writes(emu)).toEqual([]);
        const list = await h.call('list_changes', {});
        expect(list.isError, list.text).not.toBe(true);
        expect(list.structured?.['journal']).toMatchObject({ chain: 'unavailable', problems: [expect.stringMatching(/shared journal .* cannot be read/)] });
      } finally {
        await pg.start();
      }
      const w = await h.call('create_record', { zone: 'example.com', name: 'nojournal', record_type: 'A', value: '192.0.2.51' });
      expect(w.structured, w.text).toMatchObject({ applied: true });
      expect((await changes(b, 'example.com')).changes.map((c) => c.change_id)).toContain((w.structured?.['undo'] as { change_id: string }).change_id);
    } finally {
      await h.close();
    }
  }, 120_000);

  it('the shared journal needs VPSORG_CONFIRM_SECRET; import needs VPSORG_STATE_URL', async () => {
    const [noSecret, noUrl] = await Promise.all([cli(['journal', 'verify'], { VPSORG_STATE_URL: pg.url }), cli(['journal', 'import', tmpdir()], { VPSORG_CONFIRM_SECRET: SECRET, VPSORG_JOURNAL: 'off' })]);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/VPSORG_STATE_URL keeps one change journal .*VPSORG_CONFIRM_SECRET: set it/);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/set VPSORG_STATE_URL/);
  });

  it('journal import copies a file journal once; its changes list and undo through a replica', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpsorg-import-'));
    const local = { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_CONFIRM_SECRET: SECRET, VPSORG_JOURNAL_DIR: dir };
    emu.store.addZone('imported.example', [{ record_type: 'A', name: 'www', value: '192.0.2.1', ttl: 3600 }]);
    const made = await cli(['call', 'update_ttl', '--zone', 'imported.example', '--name', 'www', '--record-type', 'A', '--ttl', '300'], local);
    expect(made.code, made.stderr).toBe(0);
    const id = (JSON.parse(made.stdout) as { undo: { change_id: string } }).undo.change_id;
    // A change through a replica after the file's one: the import appends the older change after it.
    const since = await call(a, 'create_record', { zone: 'example.com', name: 'since-import', record_type: 'A', value: '192.0.2.77' });
    expect(since.structured, since.text).toMatchObject({ applied: true });
    const sinceId = (since.structured?.['undo'] as { change_id: string }).change_id;
    const before = (await changes(b)).journal.entries;

    const first = await cli(['journal', 'import', dir], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/2 entries read, 2 added to the shared journal\. list_changes shows them by their recorded times[\s\S]*hash chain intact/);
    const again = await cli(['journal', 'import', join(dir, 'journal.jsonl')], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/2 entries read, 0 added to the shared journal\. 2 were imported before/);
    expect((await changes(b)).journal.entries).toBe(before + 2);
    expect((await changes(a, 'imported.example')).changes.map((c) => c.change_id)).toEqual([id]);
    // Listed by its recorded time: after the change made since, though appended after it.
    const listed = (await changes(b)).changes.map((c) => c.change_id);
    expect(listed.indexOf(sinceId)).toBeGreaterThanOrEqual(0);
    expect(listed.indexOf(id)).toBeGreaterThan(listed.indexOf(sinceId));

    // Imported under the same secret, its receipt holds: undo through a replica restores the TTL.
    const preview = await call(a, 'undo_change', { change_id: id });
    const undo = preview.structured?.['confirm_token'] ? await call(b, 'undo_change', { change_id: id, confirm_token: preview.structured['confirm_token'] }) : preview;
    expect(undo.isError, undo.text).toBe(false);
    expect(recordOf(emu, 'imported.example', 'www', 'A').ttl).toBe(3600);
    expect((await changes(b, 'imported.example')).changes.find((c) => c.change_id === id)?.undone).toBe(true);

    // An edited file journal is not imported at all.
    const file = join(dir, 'journal.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"summary":"changed', '"summary":"renamed'));
    const bad = await cli(['journal', 'import', dir], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not imported, nothing was changed[\s\S]*does not match its hash/);
  }, 120_000);
});
