// Issue 21 point 6: the journal's directory and files get the checks a private folder needs, and
// a journal.jsonl planted in a shared folder (a symlink to a file the attacker wants written or
// chmodded) is refused, never followed; a file this process did not create is never chmodded.
import { chmodSync, chownSync, linkSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FileJournal } from '../../src/history/store/file-journal.js';
import type { ChangeEntry } from '../../src/history/journal.js';

const base = mkdtempSync(join(tmpdir(), 'rt-journal-files-'));
let n = 0;
const fresh = (mode = 0o700) => {
  const dir = join(base, `d${n++}`);
  mkdirSync(dir, { mode });
  chmodSync(dir, mode);
  return dir;
};

/** The stdio server, started as a client would, with this journal directory: it must stop before serving. */
const start = (dir: string) => cli([], { VPSORG_API_TOKEN: 'vps_x', VPSORG_JOURNAL_DIR: dir });

function expectRefused(r: { code: number; stdout: string; stderr: string }, why: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(why);
}

const entry: ChangeEntry = { type: 'change', change_id: 'chg_x', time: new Date().toISOString(), tool: 'create_record', zone: { uuid: 'z', domain: 'example.com' }, kind: 'records', summary: 's', changes: [], receipt: 'vur1.x.y' };

describe('VPSORG_JOURNAL_DIR', () => {
  it('refuses a directory other users can write (a shared temp folder), with one line and exit 2', async () => {
    expectRefused(await start(fresh(0o777)), /journal directory .* is not usable: other users can write to it \(mode 777\)/);
    expectRefused(await start(fresh(0o770)), /other users can write to it \(mode 770\)/);
  });

  it("refuses a directory of another user's", async () => {
    let dir = '/';
    if (process.getuid?.() === 0) {
      dir = fresh();
      chownSync(dir, 65534, 65534);
    }
    expectRefused(await start(dir), /belongs to another user/);
  });

  it('refuses a symbolic link to a directory', async () => {
    const link = join(base, `link${n++}`);
    symlinkSync(fresh(), link);
    expectRefused(await start(link), /is a symbolic link/);
  });
});

describe('journal.jsonl', () => {
  it('a planted symlink is refused at start-up: its target is neither written nor chmodded', async () => {
    const dir = fresh();
    const target = join(fresh(), 'bashrc');
    writeFileSync(target, 'export PS1=x\n', { mode: 0o644 });
    symlinkSync(target, join(dir, 'journal.jsonl'));
    expectRefused(await start(dir), /journal\.jsonl: it is a symbolic link \(refused, not followed\)/);
    expect(readFileSync(target, 'utf8')).toBe('export PS1=x\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });

  it('a symlink planted while the server runs is refused by the append, not followed', async () => {
    const dir = fresh();
    const journal = new FileJournal(dir);
    await journal.append(entry);
    const target = join(fresh(), 'victim');
    writeFileSync(target, 'untouched\n', { mode: 0o644 });
    const { renameSync } = await import('node:fs');
    renameSync(join(dir, 'journal.jsonl'), join(dir, 'old.jsonl'));
    symlinkSync(target, join(dir, 'journal.jsonl'));
    await expect(journal.append({ ...entry, change_id: 'chg_y' })).rejects.toThrow(/symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });

  it('a hard link to another file, or a journal others can read, is refused and never chmodded', async () => {
    const linked = fresh();
    const other = join(fresh(), 'other');
    writeFileSync(other, '', { mode: 0o600 });
    linkSync(other, join(linked, 'journal.jsonl'));
    expectRefused(await start(linked), /journal\.jsonl: it has 2 hard links/);

    const open = fresh();
    writeFileSync(join(open, 'journal.jsonl'), '', { mode: 0o644 });
    chmodSync(join(open, 'journal.jsonl'), 0o644);
    expectRefused(await start(open), /other users may read or write it \(mode 644\)/);
    await expect(new FileJournal(open).append(entry)).rejects.toThrow(/mode 644/);
    expect(statSync(join(open, 'journal.jsonl')).mode & 0o777).toBe(0o644);
  });

  it('a journal this server creates is 0600 in a 0700 folder, and so is its key', async () => {
    const dir = join(fresh(), 'state', 'vpsorg');
    await new FileJournal(dir).append(entry);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'journal.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'state.key')).mode & 0o777).toBe(0o600);
  });
});
