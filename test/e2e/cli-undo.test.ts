/** The history commands of the built binary: `changes`, `undo CHANGE_ID [--dry-run]` and `journal verify`. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/api/types.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const BIN = 'dist/index.js';
const TOKEN = 'vps_cli_undo_0123456789abcdef';
const journal = mkdtempSync(join(tmpdir(), 'vpsorg-cli-journal-'));
let emu: Emulator;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env['PATH'] ?? '', VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: TOKEN, VPSORG_JOURNAL_DIR: journal };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
  });
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', tokens: [{ token: TOKEN, permissions: [...PERMISSIONS] }] });
});
afterAll(async () => {
  await emu.close();
});

it('a change from one call is listed and undone from another; journal verify checks the chain and finds an edit', async () => {
  const made = await cli(['call', 'patch_record', '--zone', 'example.com', '--name', 'www', '--record-type', 'CNAME', '--ttl', '300']);
  expect(made.code, made.stderr).toBe(0);
  const id = (JSON.parse(made.stdout) as { undo: { change_id: string } }).undo.change_id;

  const listed = await cli(['changes', '--zone', 'example.com']);
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.stdout).toContain(`${id} `);
  expect(listed.stdout).toMatch(/chain ok/);
  // Who asked: the local user, over the CLI (issue 23).
  expect(listed.stdout).toContain(`${id} `);
  expect(listed.stdout.split('\n').find((l) => l.startsWith(id))).toContain(`by ${userInfo().username} (cli)`);

  const dry = await cli(['undo', id, '--dry-run']);
  expect(dry.code, dry.stderr).toBe(0);
  expect(dry.stdout).toMatch(/1 set\(s\) to restore[\s\S]*ttl 300 -> 3600/);
  const undone = await cli(['undo', id]);
  expect(undone.code, undone.stderr).toBe(0);
  const www = emu.store.getZone(emu.store.findZone('example.com')?.uuid as string)?.records?.find((r) => r.record_type === 'CNAME');
  expect(www?.ttl).toBe(3600);
  expect((await cli(['changes'])).stdout).toContain(`[undone by chg_`);

  const ok = await cli(['journal', 'verify']);
  expect(ok.code, ok.stderr).toBe(0);
  // The change: pending, then its entry; the undo: pending, its entry, and the mark on the change it undid.
  expect(ok.stdout).toMatch(/5 entries, hash chain intact/);
  const file = join(journal, 'journal.jsonl');
  writeFileSync(file, readFileSync(file, 'utf8').replace('"summary":"changed', '"summary":"renamed'));
  const broken = await cli(['journal', 'verify']);
  expect(broken.code).toBe(1);
  expect(broken.stderr).toMatch(new RegExp(`BROKEN[\\s\\S]*entry 2 \\(${id}\\): its content does not match its hash`));
  expect((await cli(['journal'])).code).toBe(2);
});
