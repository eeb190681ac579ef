import { mkdtempSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendEntry, journalPath, readJournal, verifyJournal, type ChangeEntry } from '../../src/history/journal.js';
import { loadConfig } from '../../src/config.js';

const entry = (id: string): ChangeEntry => ({
  type: 'change',
  change_id: id,
  time: new Date().toISOString(),
  tool: 'create_record',
  zone: { uuid: 'z1', domain: 'example.com' },
  kind: 'records',
  summary: `change ${id}`,
  changes: [],
  receipt: 'vur1.x.y',
});

const fresh = () => mkdtempSync(join(tmpdir(), 'journal-test-'));

describe('the change journal', () => {
  it('is JSON Lines, mode 0600, each entry chained to the one before', async () => {
    const dir = fresh();
    const a = await appendEntry(dir, entry('chg_a'));
    const b = await appendEntry(dir, entry('chg_b'));
    expect(a.prev).toBe('genesis');
    expect(b.prev).toBe(a.hash);
    expect(statSync(journalPath(dir)).mode & 0o777).toBe(0o600);
    expect(readFileSync(journalPath(dir), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(await verifyJournal(dir)).toMatchObject({ ok: true, entries: 2, problems: [] });
  });

  it('concurrent appends in one process keep one chain', async () => {
    const dir = fresh();
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendEntry(dir, entry(`chg_${i}`))));
    expect(await verifyJournal(dir)).toMatchObject({ ok: true, entries: 20 });
  });

  it('survives a crash mid-write: a truncated last line is ignored, and the next entry chains past it', async () => {
    const dir = fresh();
    const a = await appendEntry(dir, entry('chg_a'));
    appendFileSync(journalPath(dir), '{"type":"change","change_id":"chg_cut","ti');
    expect((await readJournal(dir)).entries.map((e) => e.change_id)).toEqual(['chg_a']);
    const b = await appendEntry(dir, entry('chg_b'));
    expect(b.prev).toBe(a.hash);
    const report = await verifyJournal(dir);
    expect(report).toMatchObject({ ok: true, entries: 2, ignored: [2] });
  });

  it('verify detects an edited entry and a removed one', async () => {
    const dir = fresh();
    for (const id of ['chg_a', 'chg_b', 'chg_c']) await appendEntry(dir, entry(id));
    const lines = readFileSync(journalPath(dir), 'utf8').split('\n');
    writeFileSync(journalPath(dir), lines.map((l) => l.replace('change chg_b', 'change chg_B')).join('\n'));
    const edited = await verifyJournal(dir);
    expect(edited.ok).toBe(false);
    expect(edited.problems.join('\n')).toMatch(/entry 2 \(chg_b\): its content does not match its hash/);
    writeFileSync(journalPath(dir), [lines[0], lines[2], ''].join('\n'));
    const removed = await verifyJournal(dir);
    expect(removed.ok).toBe(false);
    expect(removed.problems.join('\n')).toMatch(/chg_c.*does not follow/);
  });

  it('a missing journal reads as empty', async () => {
    expect(await verifyJournal(join(fresh(), 'none'))).toMatchObject({ ok: true, entries: 0 });
  });

  it('is configured from VPSORG_JOURNAL_DIR, the state directory, or not at all', () => {
    expect(loadConfig({ VPSORG_JOURNAL_DIR: '/tmp/j' }).journalDir).toBe('/tmp/j');
    expect(loadConfig({ XDG_STATE_HOME: '/s', HOME: '/h' }).journalDir).toBe('/s/vpsorg-dns-mcp');
    expect(loadConfig({ HOME: '/h' }).journalDir).toBe('/h/.local/state/vpsorg-dns-mcp');
    expect(loadConfig({}).journalDir).toBeUndefined();
    expect(loadConfig({ HOME: '/h', VPSORG_JOURNAL: 'off' }).journalDir).toBeUndefined();
  });

  it('tests never journal into the real home directory', () => {
    // test/setup/temp.ts gives every test file (and the servers it starts) a temp HOME.
    const dir = loadConfig(process.env).journalDir ?? '';
    expect(dir.startsWith(tmpdir())).toBe(true);
    expect(homedir().startsWith(tmpdir())).toBe(true);
  });
});
