// Issue 21 point 10: a confirmation confirms its change once. After the change ran, the same
// confirm_token is refused even when the records are back exactly as previewed (same uuid, value, TTL).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { resetBudgets } from '../../src/safety/budget.js';
import { MemorySpentTokens, spentId } from '../../src/safety/spent-tokens.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { apiFor, recordOf, writes } from '../e2e/safety-helpers.js';

let emu: Emulator;
let h: Harness;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  h = await startHarness({ emu, env: { VPSORG_CONFIRM_SECRET: 'single-use-secret-0123456789' } });
});
afterAll(async () => {
  await h?.close();
  await emu?.close();
});
beforeEach(() => {
  emu.store.reset();
  emu.store.addZone('example.com', [{ record_type: 'TXT', name: '@', value: 'v=spf1 -all' }]);
  emu.requests.length = 0;
  resetBudgets();
});

const reasonOf = (raw: unknown) => (raw as { _meta?: Record<string, { details?: { reason?: string } }> })._meta?.['vpsorg-dns-mcp/error']?.details?.reason;

describe('a confirm_token is single-use', () => {
  it('is refused after its change, even when the records return to the previewed state', async () => {
    const args = { zone: 'example.com', name: '@', record_type: 'TXT', value: 'v=spf1 +all' };
    const preview = await h.call('patch_record', args);
    const token = preview.structured?.['confirm_token'] as string;
    expect(token, preview.text).toMatch(/\./);
    const done = await h.call('patch_record', { ...args, confirm_token: token });
    expect(done.structured, done.text).toMatchObject({ applied: true, confirmation: 'confirmed_by_token' });
    // Someone puts the record back exactly as it was previewed: same uuid, value and TTL.
    const rec = recordOf(emu, 'example.com', '@', 'TXT');
    await apiFor(emu).patchRecord(rec.uuid, { value: 'v=spf1 -all' });
    emu.requests.length = 0;
    const again = await h.call('patch_record', { ...args, confirm_token: token });
    expect(again.isError, again.text).toBe(true);
    expect(reasonOf(again.raw)).toBe('used');
    expect(again.text).toContain('was used already');
    expect(writes(emu)).toEqual([]);
    expect(recordOf(emu, 'example.com', '@', 'TXT').value).toBe('v=spf1 -all');
    // A variant of the signature's text that decodes to the same bytes (the unused low bits of its last character) is the same token.
    const [body, sig] = token.split('.') as [string, string];
    const ABC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const variant = `${sig.slice(0, -1)}${ABC[ABC.indexOf(sig.slice(-1)) ^ 1]}`;
    expect(variant).not.toBe(sig);
    expect(Buffer.from(variant, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    const twin = await h.call('patch_record', { ...args, confirm_token: `${body}.${variant}` });
    expect(reasonOf(twin.raw), twin.text).toBe('used');
    expect(writes(emu)).toEqual([]);
  });
});

describe('the memory store of used tokens', () => {
  it('keeps only a hash, answers once per token, forgets expired ones and stays within its bound', async () => {
    const store = new MemorySpentTokens(3);
    const id = spentId('eyJ2IjoxfQ.c2ln');
    expect(id).not.toContain('eyJ2IjoxfQ');
    expect(await store.spend(id, 1000, 0)).toBe(true);
    expect(await store.spend(id, 1000, 10)).toBe(false);
    expect(await store.isSpent(id, 999)).toBe(true);
    expect(await store.isSpent(id, 1000)).toBe(false);
    for (let i = 0; i < 10; i++) await store.spend(`t${i}`, 5000, 100);
    expect(store.size).toBeLessThanOrEqual(3);
    expect(await store.isSpent('t9', 200)).toBe(true);
    // Two uses at once: one wins.
    expect((await Promise.all([store.spend('race', 5000, 100), store.spend('race', 5000, 100)])).filter(Boolean)).toHaveLength(1);
  });
});
