/**
 * A write whose answer was lost must never be applied twice. The `hold` fault keeps the provider
 * working on a write until the test lets it finish, so the client's read-back runs before the
 * write lands, however loaded the machine is: a read-back that does not find it proves nothing,
 * and a re-send would make the provider apply it twice (seen under load in the fault matrix).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import type { RequestLogEntry } from '../../src/emulator/types.js';
import { startWorld, type World } from './support/world.js';

let w: World;
let journal: string;
beforeAll(async () => {
  journal = mkdtempSync(join(tmpdir(), 'vpsorg-lost-answer-'));
  w = await startWorld({ env: { VPSORG_JOURNAL_DIR: journal } });
});
afterAll(async () => {
  await w.close();
  rmSync(journal, { recursive: true, force: true });
});
beforeEach(() => {
  w.emu.faults.release();
  w.emu.faults.clear();
  w.emu.requests.length = 0;
});

const sent = (method: string) => w.emu.requests.filter((r) => r.method === method);
const zone = () => w.emu.store.findZone('example.com');
const named = (name: string) => (zone()?.records ?? []).filter((r) => r.name === name);

/** Lets the held writes go, and waits until the provider has answered each of them (to nobody). */
async function releaseAndSettle(held: RequestLogEntry[]): Promise<void> {
  w.emu.faults.release();
  await vi.waitFor(() => expect(held.every((r) => r.status !== null)).toBe(true), { timeout: 10_000, interval: 5 });
}

/** The journal's rows for this zone whose outcome the server could not establish. */
async function unknownChanges(): Promise<Array<{ tool: string; status?: string }>> {
  const list = await w.call('list_changes', { zone: 'example.com', limit: 100 });
  return ((list.structured?.['changes'] ?? []) as Array<{ tool: string; status?: string }>).filter((c) => c.status === 'unknown');
}

it('a POST the provider is still processing when the read-back runs is not sent again: one POST, one record, outcome unknown', async () => {
  w.emu.faults.add({ kind: 'hold', method: 'POST' });
  const r = await w.call('create_record', { zone: 'example.com', record_type: 'TXT', name: 'slow', value: 'made once' });
  const posts = sent('POST');
  await releaseAndSettle(posts);
  expect(posts).toHaveLength(1);
  expect(posts[0]?.status).toBe(201);
  expect(named('slow')).toHaveLength(1);
  // Without the read-back finding it, the client cannot know: it says so, and what to check.
  expect(r.isError, r.text).toBe(true);
  expect(r.error?.code).toBe('outcome_unknown');
  expect(r.text).toMatch(/may or may not have been applied/);
  expect(r.text).toMatch(/not sent again/);
  expect(r.text).toMatch(/List the records of zone/);
  expect(await unknownChanges()).toContainEqual(expect.objectContaining({ tool: 'create_record' }));
});

it('a PATCH still being processed is not applied a second time', async () => {
  const changes: string[] = [];
  const off = w.emu.onChange((z) => changes.push(z));
  try {
    w.emu.faults.add({ kind: 'hold', method: 'PATCH' });
    const r = await w.call('update_ttl', { zone: 'example.com', name: 'www', record_type: 'CNAME', ttl: 1200 });
    const patches = sent('PATCH');
    await releaseAndSettle(patches);
    expect(patches).toHaveLength(1);
    expect(changes).toHaveLength(1);
    expect(named('www')[0]?.ttl).toBe(1200);
    expect(r.isError, r.text).toBe(true);
    expect(r.error?.code).toBe('outcome_unknown');
  } finally {
    off();
  }
});

it('a write that lands while the client waits is found by the second read-back: success, sent once', async () => {
  w.emu.faults.add({ kind: 'hold', method: 'POST' });
  const call = w.call('create_record', { zone: 'example.com', record_type: 'TXT', name: 'late', value: 'found later' });
  // The first read-back finds nothing; the write lands before the second (a request time-out later).
  const readBackSeen = () => {
    const post = w.emu.requests.findIndex((r) => r.method === 'POST');
    return post >= 0 && w.emu.requests.slice(post + 1).some((r) => r.method === 'GET' && r.path.endsWith('/records/'));
  };
  await vi.waitFor(() => expect(readBackSeen()).toBe(true), { timeout: 10_000, interval: 2 });
  const posts = sent('POST');
  await releaseAndSettle(posts);
  const r = await call;
  expect(r.isError, r.text).toBe(false);
  expect(sent('POST')).toHaveLength(1);
  expect(named('late')).toHaveLength(1);
  expect(JSON.stringify(r.structured)).toContain(named('late')[0]?.uuid ?? 'no record');
});

// The journal may say "nothing applied" only where the transport proved it (history/record-call.ts settles it so).
it('a PUT that never got an answer, though re-sent, is journalled as of unknown outcome', async () => {
  w.emu.faults.add({ kind: 'hold', method: 'PUT', times: Infinity });
  const args = { zone: 'example.com', name: '@', record_type: 'A', value: '192.0.2.77' };
  // Replacing the apex address is held for confirmation: the preview sends nothing.
  const preview = await w.call('update_record', args);
  const r = await w.call('update_record', { ...args, confirm_token: preview.structured?.['confirm_token'] });
  const puts = sent('PUT');
  w.emu.faults.clear();
  await releaseAndSettle(puts);
  expect(r.isError, r.text).toBe(true);
  expect(r.error?.code).toBe('outcome_unknown');
  expect(r.text).toMatch(/did not answer .* within/);
  expect(await unknownChanges()).toContainEqual(expect.objectContaining({ tool: 'update_record' }));
});

it('a write cancelled while in flight is journalled as of unknown outcome', async () => {
  w.emu.faults.add({ kind: 'hold', method: 'POST' });
  const before = (await unknownChanges()).length;
  const controller = new AbortController();
  const call = w.client.callTool({ name: 'create_record', arguments: { zone: 'example.com', record_type: 'TXT', name: 'cut', value: 'cancelled' } }, { signal: controller.signal }).catch((e: unknown) => e);
  await vi.waitFor(() => expect(sent('POST')).toHaveLength(1), { timeout: 10_000, interval: 2 });
  controller.abort();
  await call;
  // The server finishes the cancelled call on its own time: wait for its journal entry.
  await vi.waitFor(async () => expect((await unknownChanges()).length).toBe(before + 1), { timeout: 10_000, interval: 20 });
  await releaseAndSettle(sent('POST'));
});
