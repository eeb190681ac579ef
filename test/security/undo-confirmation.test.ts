// Issue 21 point 3: a person's decision stays a person's. The receipt and the journal entry say which
// channel confirmed a change; undoing it needs the same kind of confirmation, and undoing a change
// made through another channel (another transport or HTTP key) is held too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { resetBudgets } from '../../src/safety/budget.js';
import { readJournal } from '../../src/history/journal.js';
import { startHarness, type CallResult, type Harness } from '../helpers/harness.js';
import { writes } from '../e2e/safety-helpers.js';

const Z = 'example.com';
const journal = mkdtempSync(join(tmpdir(), 'vpsorg-undo-confirm-'));
const env = { VPSORG_CONFIRM_SECRET: 'undo-confirmation-secret-0123', VPSORG_JOURNAL_DIR: journal };
let emu: Emulator;
let person: Harness;
let model: Harness;
let otherKey: Harness;
let answer: 'accept' | 'decline' = 'accept';
const asked: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  // human mode, a client that shows the person a form.
  person = await startHarness({ emu, env: { ...env, VPSORG_CONFIRM_MODE: 'human' }, elicit: async ({ message }) => (asked.push(message), answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' }) });
  // The model's own stdio client, with no human channel, on the same journal.
  model = await startHarness({ emu, env });
  // Another channel: the HTTP transport under another access key.
  otherKey = await startHarness({ emu, env, deps: { transport: { transport: 'http', key_id: 'key-b' } } });
});
afterAll(async () => {
  for (const h of [person, model, otherKey]) await h?.close();
  await emu?.close();
  rmSync(journal, { recursive: true, force: true });
});
beforeEach(() => {
  emu.store.reset();
  emu.store.addZone(Z, [
    { record_type: 'A', name: '@', value: '192.0.2.1' },
    { record_type: 'TXT', name: 'rogue', value: 'planted by someone' },
    { record_type: 'TXT', name: 'spf', value: 'v=spf1 -all' },
  ]);
  emu.requests.length = 0;
  resetBudgets();
  answer = 'accept';
  asked.length = 0;
});

const changeId = (r: CallResult) => (r.structured?.['undo'] as { change_id: string }).change_id;
const receiptOf = (r: CallResult) => JSON.parse(Buffer.from((r.structured?.['undo'] as { receipt: string }).receipt.split('.')[1] as string, 'base64url').toString()) as { via?: Record<string, string> };
const code = (r: CallResult) => (r.raw as { _meta?: Record<string, { code?: string }> })._meta?.['vpsorg-dns-mcp/error']?.code;
const rogue = () => emu.store.findZone(Z)?.records?.filter((r) => r.name === 'rogue') ?? [];

describe('undoing a change a person confirmed', () => {
  it('is recorded as confirmed by that channel, and the model cannot bring the record back without a person', async () => {
    const del = await person.call('delete_record', { zone: Z, name: 'rogue', record_type: 'TXT' });
    expect(del.structured, del.text).toMatchObject({ applied: true, confirmation: 'confirmed_by_user' });
    expect(rogue()).toEqual([]);
    expect(receiptOf(del).via).toEqual({ transport: 'stdio', confirmed: 'form' });
    const entry = (await readJournal(journal)).entries.find((e) => e.change_id === changeId(del));
    expect(entry).toMatchObject({ confirmed_by: 'form' });
    emu.requests.length = 0;

    // The model, on a client with no human channel: refused, and no token offered.
    const byModel = await model.call('undo_change', { change_id: changeId(del) });
    expect(byModel.isError, byModel.text).toBe(true);
    expect(code(byModel)).toBe('human_approval_unavailable');
    expect(byModel.text).toContain('it takes back a change a person confirmed');
    // On the human server the person is asked, and says no.
    answer = 'decline';
    const declined = await person.call('undo_change', { change_id: changeId(del) });
    expect(declined.structured, declined.text).toMatchObject({ confirmation: 'declined' });
    expect(asked.at(-1)).toContain('undoes a change a person confirmed in the confirmation form');
    expect(writes(emu)).toEqual([]);
    expect(rogue()).toEqual([]);
    // When the person agrees, it is undone, and that undo is in turn a person's.
    answer = 'accept';
    const undone = await person.call('undo_change', { change_id: changeId(del) });
    expect(undone.structured, undone.text).toMatchObject({ applied: true, confirmation: 'confirmed_by_user' });
    expect(rogue()).toHaveLength(1);
    expect(receiptOf(undone).via).toEqual({ transport: 'stdio', confirmed: 'form' });
  });
});

describe('undoing a change that was confirmed with a token, or made through another channel', () => {
  it('a token-confirmed change is undone with a token too', async () => {
    const preview = await model.call('patch_record', { zone: Z, name: 'spf', record_type: 'TXT', value: 'v=spf1 +all' });
    const done = await model.call('patch_record', { zone: Z, name: 'spf', record_type: 'TXT', value: 'v=spf1 +all', confirm_token: preview.structured?.['confirm_token'] });
    expect(done.structured, done.text).toMatchObject({ applied: true, confirmation: 'confirmed_by_token' });
    expect(receiptOf(done).via).toEqual({ transport: 'stdio', confirmed: 'token' });
    emu.requests.length = 0;
    const held = await model.call('undo_change', { change_id: changeId(done) });
    expect(held.structured, held.text).toMatchObject({ confirmation: 'required', applied: false });
    expect(held.text).toContain('undoes a change that was confirmed (confirm_token)');
    expect(writes(emu)).toEqual([]);
    const undone = await model.call('undo_change', { change_id: changeId(done), confirm_token: held.structured?.['confirm_token'] });
    expect(undone.structured, undone.text).toMatchObject({ applied: true, confirmation: 'confirmed_by_token' });
  });

  it('a change made under another HTTP key is held when undone from stdio, and not when undone where it was made', async () => {
    // One repoint: no confirmation, and neither is its undo (a repoint back) where it was made.
    const made = await otherKey.call('patch_record', { zone: Z, name: '@', record_type: 'A', value: '203.0.113.5' });
    expect(made.structured, made.text).toMatchObject({ applied: true });
    expect(receiptOf(made).via).toEqual({ transport: 'http', key_id: 'key-b' });
    emu.requests.length = 0;
    const held = await model.call('undo_change', { change_id: changeId(made) });
    expect(held.structured, held.text).toMatchObject({ confirmation: 'required', applied: false });
    expect(held.text).toContain('undoes a change made through another channel (http key-b, not stdio)');
    expect(writes(emu)).toEqual([]);
    const own = await otherKey.call('undo_change', { change_id: changeId(made) });
    expect(own.structured, own.text).toMatchObject({ applied: true });
    expect(own.structured?.['confirmation']).toBeUndefined();
  });
});
