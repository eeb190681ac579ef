/**
 * Issue 24 point 3, the file journal: a write is journalled as pending before its first request to
 * VPS.org and completed after. A write the API refused is settled (nothing listed); one whose
 * answer was lost and could not be read back, or whose server was killed while it waited, is
 * listed as of unknown outcome with what was asked, and undo refuses it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEST_TOKEN } from '../../src/emulator/index.js';
import { readJournal } from '../../src/history/journal.js';
import { BIN, cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { recordOf } from './safety-helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
  rmSync(h.journalDir, { recursive: true, force: true });
});

type Item = { change_id: string; status?: string; summary: string; asked?: string };
const listed = async (zone: string) => ((await h.call('list_changes', { zone })).structured?.['changes'] ?? []) as Item[];

describe('pending, then completed', () => {
  it('a write the API refused is settled with nothing applied, and is not listed', async () => {
    h.emu.store.addZone('refused.example', []);
    h.emu.faults.add({ kind: 'status', status: 400, method: 'POST' });
    const res = await h.call('create_record', { zone: 'refused.example', name: 'www', record_type: 'A', value: '192.0.2.1' });
    expect(res.isError, res.text).toBe(true);
    const tail = (await readJournal(h.journalDir)).entries.slice(-2);
    expect(tail).toEqual([expect.objectContaining({ type: 'pending', tool: 'create_record', zone: expect.objectContaining({ domain: 'refused.example' }) }), expect.objectContaining({ type: 'settled', outcome: 'none', change_id: tail[0]?.change_id })]);
    expect(await listed('refused.example')).toEqual([]);
  });

  it('a write whose answer was lost and could not be read back is listed as unknown; undo refuses it', async () => {
    h.emu.store.addZone('lost.example', []);
    // The write lands, its answer is dropped, and from then on every read fails: the client cannot find out.
    const off = h.emu.onChange(() => h.emu.faults.add({ kind: 'status', status: 500, method: 'GET', times: Infinity }));
    h.emu.faults.add({ kind: 'drop_after', method: 'POST' });
    const res = await h.call('create_record', { zone: 'lost.example', name: 'www', record_type: 'A', value: '192.0.2.7' });
    off();
    h.emu.faults.clear();
    expect(res.isError, res.text).toBe(true);
    expect(recordOf(h.emu, 'lost.example', 'www', 'A').value).toBe('192.0.2.7');
    const [item] = await listed('lost.example');
    expect(item).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/answer was lost/) });
    expect(JSON.parse(item?.asked ?? '')).toMatchObject({ name: 'www', value: '192.0.2.7' });
    const undo = await h.call('undo_change', { change_id: item?.change_id });
    expect(undo.isError, undo.text).toBe(true);
    expect(undo.text).toMatch(/outcome is unknown/);
    expect(h.emu.store.findZone('lost.example')?.records).toHaveLength(1);
  });

  it('a server killed after sending its write, before journalling it, leaves the write listed as unknown (CLI, file journal)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpsorg-killed-'));
    const env = { PATH: process.env['PATH'] ?? '', VPSORG_API_URL: h.emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_JOURNAL_DIR: dir, VPSORG_TIMEOUT_MS: '120000' };
    try {
      h.emu.store.addZone('killed.example', []);
      h.emu.faults.add({ kind: 'hang_after', method: 'POST' });
      const child = spawn(process.execPath, [BIN, 'call', 'create_record', '--zone', 'killed.example', '--name', 'cut', '--record-type', 'A', '--value', '192.0.2.9'], { env, stdio: 'ignore' });
      const exited = new Promise((done) => child.once('exit', done));
      for (let i = 0; i < 2400 && !h.emu.store.findZone('killed.example')?.records?.length; i++) await new Promise((r) => setTimeout(r, 25));
      child.kill('SIGKILL');
      await exited;
      h.emu.faults.clear();
      expect(recordOf(h.emu, 'killed.example', 'cut', 'A').value).toBe('192.0.2.9');

      const changes = await cli(['changes'], env);
      expect(changes.code, changes.stderr).toBe(0);
      const line = changes.stdout.split('\n').find((l) => l.includes('create_record'));
      expect(line).toMatch(/outcome unknown: create_record was cut off .* asked: .*"name":"cut"/);
      const undo = await cli(['undo', line?.split(' ')[0] ?? ''], env);
      expect(undo.code).toBe(1);
      expect(undo.stderr).toMatch(/outcome is unknown/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
