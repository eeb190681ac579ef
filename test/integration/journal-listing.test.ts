/**
 * One listing contract for both journals: the file journal (filtered in memory) and the shared one
 * on a real PostgreSQL cluster (filtered in SQL) must list alike: newest first by recorded time,
 * pages that cover every change once, zone / allowlist / actor filters, undos and writes of unknown
 * outcome folded in. Then what only the shared journal has: more entries than any window, listed,
 * paged to and undone however old, and rows an older replica wrote without their listing columns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileJournal } from '../../src/history/store/file-journal.js';
import { PgJournal } from '../../src/history/store/pg-journal.js';
import { PostgresState } from '../../src/state/postgres.js';
import type { ChangeEntry, JournalQuery, JournalStore, NewEntry } from '../../src/history/journal.js';
import type { Actor } from '../../src/safety/scopes.js';
import { sharedJournal } from '../../src/history/store/pg-journal.js';
import { sharedPostgres } from '../../src/state/index.js';
import { callAgreeing, startHarness } from '../helpers/harness.js';
import { freshDatabase, startPostgres, type PostgresCluster } from '../helpers/postgres.js';

const SECRET = 'listing-secret-0123456789abcdef';
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const alice: Actor = { channel: 'oauth', iss: 'https://idp.example', sub: 'alice', client_id: 'c1' };
const bob: Actor = { channel: 'oauth', iss: 'https://idp.example', sub: 'bob' };

function change(id: string, min: number, zone = 'example.com', extra: Partial<ChangeEntry> = {}): ChangeEntry {
  return { type: 'change', change_id: id, time: at(min), tool: 'create_record', zone: { uuid: `uuid-${zone}`, domain: zone }, kind: 'records', summary: `change ${id}`, changes: [], receipt: 'vur1.x.y', ...extra };
}

let cluster: PostgresCluster;
const states: PostgresState[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await Promise.all(states.map((s) => s.close()));
  await cluster?.destroy();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function pgJournal(): Promise<PgJournal> {
  const s = new PostgresState(await freshDatabase(cluster));
  states.push(s);
  return new PgJournal(async () => s, SECRET, 'test database');
}

function fileJournal(): FileJournal {
  const dir = mkdtempSync(join(tmpdir(), 'vpsorg-listing-'));
  dirs.push(dir);
  return new FileJournal(dir);
}

const ids = async (j: JournalStore, q: Partial<JournalQuery> = {}) => (await j.list({ limit: 100, ...q })).rows.map((r) => r.entry.change_id);

describe.each([
  ['file journal', fileJournal],
  ['shared journal (PostgreSQL)', pgJournal],
] as const)('listing: %s', (_name, open) => {
  const fill = async (j: JournalStore, entries: NewEntry[]) => {
    for (const e of entries) await j.append(e);
    return j;
  };

  it('lists newest first by recorded time; pages by cursor cover every change once', async () => {
    const j = await fill(await open(), [change('c1', 1), change('c2', 2), change('c3', 3), change('c4', 4), change('c5', 5)]);
    const first = await j.list({ limit: 2 });
    expect(first.rows.map((r) => r.entry.change_id)).toEqual(['c5', 'c4']);
    expect(first.more).toBe(true);
    expect(first).toMatchObject({ entries: 5, problems: [] });
    expect(await ids(j, { limit: 2, cursor: 'c4' })).toEqual(['c3', 'c2']);
    const last = await j.list({ limit: 2, cursor: 'c2' });
    expect([last.rows.map((r) => r.entry.change_id), last.more]).toEqual([['c1'], false]);
    // A cursor this journal does not hold starts again from the newest.
    expect(await ids(j, { limit: 1, cursor: 'nope' })).toEqual(['c5']);
  });

  it('an entry appended later with an earlier time (an import) lists by its time, not where it was appended', async () => {
    const j = await fill(await open(), [change('new1', 10), change('new2', 20), change('old', 5), change('same-a', 15), change('same-b', 15)]);
    // Two at one instant: the later appended first.
    expect(await ids(j)).toEqual(['new2', 'same-b', 'same-a', 'new1', 'old']);
    expect(await ids(j, { limit: 2, cursor: 'same-b' })).toEqual(['same-a', 'new1']);
  });

  it('filters by zone (domain or uuid), by the allowlist (exact and *.suffix) and by who asked', async () => {
    const j = await fill(await open(), [
      change('a1', 1, 'example.com', { actor: alice }),
      change('b1', 2, 'shop.example.org', { actor: bob }),
      change('a2', 3, 'other.net', { actor: { ...alice, client_id: 'c2' } }),
      { type: 'pending', change_id: 'p-nozone', time: at(4), tool: 'create_zone', asked: { domain: 'new.example' } },
      change('b2', 5, 'example.org', { actor: bob }),
    ]);
    expect(await ids(j, { zone: { domain: 'example.com', uuid: 'example.com' } })).toEqual(['a1']);
    expect(await ids(j, { zone: { domain: 'nothing', uuid: 'uuid-other.net' } })).toEqual(['a2']);
    expect(await ids(j, { allowed: ['example.com', '*.example.org'] })).toEqual(['b1', 'a1']);
    expect(await ids(j, { allowed: [] })).toEqual([]);
    expect(await ids(j)).toEqual(['b2', 'p-nozone', 'a2', 'b1', 'a1']);
    // One person, whichever client: issuer and subject.
    expect(await ids(j, { by: alice })).toEqual(['a2', 'a1']);
    expect(await ids(j, { by: bob, limit: 1, cursor: 'b2' })).toEqual(['b1']);
  });

  it('folds in undos and lists writes of unknown outcome until something closes them', async () => {
    const j = await fill(await open(), [
      change('ch', 1),
      { type: 'undone', change_id: 'ch', time: at(2), by: 'u1', partial: true },
      { type: 'undone', change_id: 'ch', time: at(3), by: 'u2' },
      { type: 'pending', change_id: 'p-done', time: at(4), tool: 'create_record', zone: { uuid: 'z', domain: 'example.com' }, asked: {} },
      change('ch-done', 5, 'example.com', { pending: 'p-done' }),
      { type: 'pending', change_id: 'p-none', time: at(6), tool: 'create_record', asked: {} },
      { type: 'settled', change_id: 'p-none', time: at(7), outcome: 'none' },
      { type: 'pending', change_id: 'p-lost', time: at(8), tool: 'create_record', asked: {} },
      change('ch-lost', 9, 'example.com', { pending: 'p-lost' }),
      { type: 'settled', change_id: 'p-lost', time: at(10), outcome: 'unknown', why: 'answer lost' },
      { type: 'pending', change_id: 'p-cut', time: at(11), tool: 'delete_record', asked: {} },
    ]);
    const page = await j.list({ limit: 100 });
    expect(page.rows.map((r) => r.entry.change_id)).toEqual(['p-cut', 'ch-lost', 'p-lost', 'ch-done', 'ch']);
    expect(page.rows.find((r) => r.entry.change_id === 'ch')?.undone).toMatchObject({ by: 'u2' });
    expect(page.rows.find((r) => r.entry.change_id === 'p-lost')?.settled).toMatchObject({ outcome: 'unknown', why: 'answer lost' });
    expect(page.rows.find((r) => r.entry.change_id === 'p-cut')?.settled).toBeUndefined();
  });
});

describe('the shared journal past any window', () => {
  it('lists, pages to and finds the oldest of more than 5,000 entries', async () => {
    const j = await pgJournal();
    await j.append(change('oldest', 0, 'old.example'));
    await j.appendAll(Array.from({ length: 6000 }, (_, i) => ({ entry: change(`f${i}`, 1 + i / 100) })));
    expect(await ids(j, { zone: { domain: 'old.example', uuid: 'old.example' } })).toEqual(['oldest']);
    let page = await j.list({ limit: 100 });
    expect(page).toMatchObject({ entries: 6001, problems: [] });
    const seen: string[] = [];
    for (let n = 0; n < 100; n++) {
      seen.push(...page.rows.map((r) => r.entry.change_id));
      if (!page.more) break;
      page = await j.list({ limit: 100, cursor: seen.at(-1) as string });
    }
    expect(seen).toHaveLength(6001);
    expect(new Set(seen).size).toBe(6001);
    expect(seen.at(-1)).toBe('oldest');
    expect((await j.find('oldest')).map((e) => e.type)).toEqual(['change']);
    expect((await j.verify()).ok).toBe(true);
  }, 60_000);

  it('rows an older replica wrote without the listing columns are filled in and listed', async () => {
    const s = new PostgresState(await freshDatabase(cluster));
    states.push(s);
    const j = new PgJournal(async () => s, SECRET, 'test database');
    const [first] = await j.appendAll([{ entry: change('new', 2) }]);
    // As a replica of the version before wrote them: change_id, line and hash only.
    await s.pool.query("UPDATE vpsorg_journal SET kind = NULL, at = NULL, zone_domain = NULL, zone_uuid = NULL WHERE change_id = 'new'");
    await j.append(change('next', 1, 'legacy.example'));
    await s.pool.query("UPDATE vpsorg_journal SET kind = NULL, at = NULL, zone_domain = NULL, zone_uuid = NULL WHERE change_id = 'next'");
    expect(first?.prev).toBe('genesis');
    expect(await ids(j)).toEqual(['new', 'next']);
    expect(await ids(j, { zone: { domain: 'legacy.example', uuid: '-' } })).toEqual(['next']);
    expect((await s.pool.query('SELECT count(*)::int AS n FROM vpsorg_journal WHERE kind IS NULL')).rows[0]).toEqual({ n: 0 });
  });

  it('the oldest of more than 5,000 changes is listed and undone through the tools, by its change_id', async () => {
    const url = await freshDatabase(cluster);
    const h = await startHarness({ env: { VPSORG_STATE_URL: url, VPSORG_CONFIRM_SECRET: SECRET } });
    dirs.push(h.journalDir);
    try {
      const made = await h.call('create_record', { zone: 'example.com', name: 'first', record_type: 'A', value: '192.0.2.61' });
      expect(made.structured, made.text).toMatchObject({ applied: true });
      const id = (made.structured?.['undo'] as { change_id: string }).change_id;
      // 6,000 later changes of another zone, in one append.
      const later = Date.now() + 60_000;
      await sharedJournal(url, SECRET).appendAll(Array.from({ length: 6000 }, (_, i) => ({ entry: { ...change(`f${i}`, 0, 'filler.example'), time: new Date(later + i).toISOString() } })));
      const byZone = await h.call('list_changes', { zone: 'example.com' });
      expect((byZone.structured?.['changes'] as Array<{ change_id: string }>).map((c) => c.change_id)).toEqual([id]);
      expect(byZone.structured?.['journal']).toMatchObject({ entries: 6002, chain: 'ok' });

      const undo = await callAgreeing(h, 'undo_change', { change_id: id });
      expect(undo.structured, undo.text).toMatchObject({ applied: true });
      expect(h.emu.store.findZone('example.com')?.records?.some((r) => r.name === 'first')).toBe(false);
      const after = (await h.call('list_changes', { zone: 'example.com' })).structured?.['changes'] as Array<{ change_id: string; undone: boolean; undoes?: string }>;
      expect(after.map((c) => [c.undoes ?? c.change_id, c.undone])).toEqual([[id, false], [id, true]]);
    } finally {
      await h.close();
      await (await sharedPostgres(url)).close();
    }
  }, 120_000);
});
