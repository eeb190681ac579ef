// Issue 21 point 7: the chain is keyed and receipts bind what an entry says, so a rewritten,
// re-chained journal fails `journal verify`; growth is bounded; processes of one user append
// one chain between them.
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { canonicalJson } from '../../src/safety/confirm.js';
import { FileJournal } from '../../src/history/store/file-journal.js';
import { chainKey } from '../../src/history/store/chain.js';
import type { ChangeEntry, Entry } from '../../src/history/journal.js';
import { cli } from '../helpers/cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'rt-journal-chain-'));
const entry = (id: string, pad = ''): ChangeEntry => ({ type: 'change', change_id: id, time: new Date().toISOString(), tool: 'create_record', zone: { uuid: 'z', domain: 'example.com' }, kind: 'records', summary: `change ${id}${pad}`, changes: [], receipt: 'vur1.x.y' });

/** What someone who can write the journal does to hide an edit: recompute every hash after it with `hash`. */
function rechain(file: string, edit: (e: Entry) => void, hash: (body: object) => string): void {
  let prev = 'genesis';
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => {
    const e = JSON.parse(l) as Entry;
    edit(e);
    const { hash: _old, ...body } = { ...e, prev };
    prev = hash(body);
    return JSON.stringify({ ...body, hash: prev });
  });
  writeFileSync(file, `${lines.join('\n')}\n`);
}

describe('journal verify', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo' });
  });
  afterAll(() => emu.close());

  it('fails on a journal rewritten and re-chained without the key, or with the chain key but not the receipt key', async () => {
    const dir = fresh();
    const env = { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_JOURNAL_DIR: dir, VPSORG_CONFIRM_SECRET: 'replica-secret-0123456789' };
    for (const ttl of ['300', '600']) expect((await cli(['call', 'patch_record', '--zone', 'example.com', '--name', 'www', '--record-type', 'CNAME', '--ttl', ttl], env)).code).toBe(0);
    const ok = await cli(['journal', 'verify'], env);
    expect(ok.code, ok.stderr).toBe(0);
    // Each write: its pending entry, then its change.
    expect(ok.stdout).toMatch(/4 entries, hash chain intact, 2 receipt\(s\) match their entries/);
    const file = join(dir, 'journal.jsonl');
    const original = readFileSync(file, 'utf8');

    // Without the key: plain SHA-256 hashes, as an unkeyed chain would take.
    rechain(file, (e) => e.change_id && ((e as ChangeEntry).summary = 'nothing to see'), (b) => createHash('sha256').update(canonicalJson(b)).digest('hex'));
    const unkeyed = await cli(['journal', 'verify'], env);
    expect(unkeyed.code).toBe(1);
    expect(unkeyed.stderr).toMatch(/entry 1 \(chg_[^)]+\): its content does not match its hash/);

    // With state.key (same folder) but not the receipt's secret: the after-state no longer matches the receipt.
    writeFileSync(file, original);
    const key = chainKey(readFileSync(join(dir, 'state.key'), 'utf8').trim());
    rechain(file, (e) => (e as ChangeEntry).after?.forEach((a) => (a.rows = a.rows.map((r) => [...(r as unknown[]).slice(0, 1), 60, ...(r as unknown[]).slice(2)]))), (b) => createHmac('sha256', key).update(canonicalJson(b)).digest('hex'));
    const rekeyed = await cli(['journal', 'verify'], env);
    expect(rekeyed.code).toBe(1);
    expect(rekeyed.stderr).toMatch(/chg_\S+: its after-state does not match the digest its receipt signed \(edited\)/);
  });
});

describe('bounded growth', () => {
  it('rotates past maxBytes, keeps `keep` old files, verifies across them and still finds a rotated change', async () => {
    const dir = fresh();
    const j = new FileJournal(dir, { maxBytes: 3000, keep: 2 });
    for (let i = 0; i < 40; i++) await j.append(entry(`chg_${i}`, 'x'.repeat(200)));
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()).toEqual(['journal.1.jsonl', 'journal.2.jsonl', 'journal.jsonl']);
    for (const f of ['journal.jsonl', 'journal.1.jsonl', 'journal.2.jsonl']) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(3000);
    const report = await j.verify();
    expect(report).toMatchObject({ ok: true, rotatedOut: true });
    const recent = (await j.recent()).entries;
    expect(recent.at(-1)?.change_id).toBe('chg_39');
    expect(recent.length).toBeLessThan(report.entries);
    const oldest = report.entries > recent.length ? `chg_${40 - report.entries}` : '';
    expect((await j.find(oldest)).map((e) => e.change_id)).toEqual([oldest]);
    expect(await j.find('chg_0')).toEqual([]);
  });

  it('a journal grown past the bound (by an older version) is read from its last window only, and rotated on the next append', async () => {
    const dir = fresh();
    const big = new FileJournal(dir, { maxBytes: 1 << 30, keep: 2 });
    for (let i = 0; i < 60; i++) await big.append(entry(`chg_${i}`, 'y'.repeat(200)));
    const bounded = new FileJournal(dir, { maxBytes: 2000, keep: 2 });
    const seen = (await bounded.recent()).entries;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(12);
    expect(seen.at(-1)?.change_id).toBe('chg_59');
    await bounded.append(entry('chg_next'));
    expect(existsSync(join(dir, 'journal.1.jsonl'))).toBe(true);
    expect((await bounded.recent()).entries.map((e) => e.change_id)).toEqual(['chg_next']);
    expect((await bounded.verify()).ok).toBe(true);
  });
});

describe('two processes, one chain', () => {
  function writer(dir: string, name: string, count: number, go: string): { ready: Promise<void>; done: Promise<string> } {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/security/support/journal-writer.ts', dir, name, String(count), go], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const done = new Promise<string>((resolve) => child.on('exit', (code) => resolve(`${code} ${err}`)));
    return { ready, done };
  }

  it('concurrent writer processes append one unbroken chain, every entry kept', async () => {
    const dir = fresh();
    const go = join(dir, 'go');
    const writers = ['a', 'b', 'c', 'd'].map((name) => writer(dir, name, 25, go));
    await Promise.all(writers.map((w) => w.ready));
    writeFileSync(go, '');
    expect(await Promise.all(writers.map((w) => w.done))).toEqual(['0 ', '0 ', '0 ', '0 ']);
    const report = await new FileJournal(dir).verify();
    expect(report.problems).toEqual([]);
    expect(report.entries).toBe(100);
    const ids = new Set((await new FileJournal(dir).recent()).entries.map((e) => e.change_id));
    expect(ids.size).toBe(100);
    expect(existsSync(join(dir, 'journal.lock'))).toBe(false);
  });

  it('a lock left by a process that died is taken over', async () => {
    const dir = fresh();
    const j = new FileJournal(dir);
    await j.append(entry('chg_first'));
    const dead = spawn(process.execPath, ['-e', '0']);
    const pid = dead.pid as number;
    await new Promise((r) => dead.on('exit', r));
    writeFileSync(join(dir, 'journal.lock'), `${pid} ${hostname()} 0123456789abcdef`, { mode: 0o600 });
    await j.append(entry('chg_after'));
    expect((await j.verify()).ok).toBe(true);
    expect(existsSync(join(dir, 'journal.lock'))).toBe(false);
  });
});
