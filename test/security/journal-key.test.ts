// Issue 21 points 1 and 2: undo survives a restart of the stdio server as the README's client
// snippets start it (no VPSORG_CONFIRM_SECRET), a configured secret still wins, and what this
// server cannot verify is marked as such; the sandbox keeps its journal and key apart.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { openJournal } from '../../src/history/state.js';
import { loadConfig } from '../../src/config.js';
import { cli } from '../helpers/cli.js';

let emu: Emulator;
beforeAll(async () => {
  if (!existsSync('dist/index.js')) throw new Error('dist/index.js is missing: run npm run build first.');
  emu = await startEmulator({ seed: 'demo' });
});
afterAll(() => emu.close());

interface Result {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content?: Array<{ text?: string }>;
}

/** One stdio server process, as a client starts it from the README snippet: the token, nothing else (plus the test's API URL and HOME). */
async function session<T>(home: string, extra: Record<string, string>, fn: (call: (name: string, args: Record<string, unknown>) => Promise<Result>) => Promise<T>): Promise<T> {
  const env = { ...getDefaultEnvironment(), HOME: home, VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, ...extra };
  const client = new Client({ name: 'restart-test', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: ['dist/index.js'], env, stderr: 'pipe' }));
  try {
    return await fn(async (name, args) => (await client.callTool({ name, arguments: args })) as Result);
  } finally {
    await client.close();
  }
}

const wwwTtl = () => emu.store.getZone(emu.store.findZone('example.com')?.uuid as string)?.records?.find((r) => r.name === 'www' && r.record_type === 'CNAME')?.ttl;

describe('the key beside the journal', () => {
  it("undo_change takes back a change an earlier stdio process made; a configured secret wins, and list_changes says why it cannot vouch for older entries", async () => {
    const home = mkdtempSync(join(tmpdir(), 'vpsorg-restart-home-'));
    const before = wwwTtl();
    const id = await session(home, {}, async (call) => {
      const r = await call('patch_record', { zone: 'example.com', name: 'www', record_type: 'CNAME', ttl: 321 });
      expect(r.isError, r.content?.[0]?.text).toBeFalsy();
      return (r.structuredContent?.['undo'] as { change_id: string }).change_id;
    });
    expect(wwwTtl()).toBe(321);
    const keyFile = join(home, '.local', 'state', 'vpsorg-dns-mcp', 'state.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    // A new process, the same snippet: the change is listed as verifiable and is undone.
    await session(home, {}, async (call) => {
      const list = await call('list_changes', {});
      const item = (list.structuredContent?.['changes'] as Array<Record<string, unknown>>).find((c) => c['change_id'] === id);
      expect(item).toBeDefined();
      expect(item?.['unverifiable']).toBeUndefined();
      const undo = await call('undo_change', { change_id: id });
      expect(undo.isError, undo.content?.[0]?.text).toBeFalsy();
    });
    expect(wwwTtl()).toBe(before);

    // With VPSORG_CONFIRM_SECRET set, receipts are signed with it: the file key's receipts are not
    // this server's, and both list_changes and undo_change say so, with something the user can do.
    await session(home, { VPSORG_CONFIRM_SECRET: 'a-replica-secret-0123456789' }, async (call) => {
      const list = await call('list_changes', {});
      const item = (list.structuredContent?.['changes'] as Array<Record<string, unknown>>).find((c) => c['change_id'] === id);
      expect(item?.['unverifiable']).toMatch(/another key than this VPSORG_CONFIRM_SECRET/);
      const undo = await call('undo_change', { change_id: id });
      expect(undo.isError).toBe(true);
      expect(undo.content?.[0]?.text).toMatch(/Run the undo with the secret that was in use when the change was made/);
    });
  });

  it('where no journal directory can be had, the key stays per process', async () => {
    const config = await openJournal(loadConfig({ VPSORG_API_TOKEN: 'x' }));
    expect(config.journalDir).toBeUndefined();
    expect(config.confirmSecret).toBeUndefined();
  });
});

describe('the sandbox journal', () => {
  it("keeps sandbox changes out of the real account's journal, and its key apart", async () => {
    const home = mkdtempSync(join(tmpdir(), 'vpsorg-sandbox-home-'));
    const env = { HOME: home };
    const made = await cli(['call', 'patch_record', '--sandbox', '--zone', 'example.com', '--name', 'www', '--record-type', 'CNAME', '--ttl', '300'], env);
    expect(made.code, made.stderr).toBe(0);
    const id = (JSON.parse(made.stdout) as { undo: { change_id: string } }).undo.change_id;

    const real = await cli(['changes'], { ...env, VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN });
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).not.toContain(id);
    const sandbox = await cli(['changes', '--sandbox'], env);
    expect(sandbox.stdout).toContain(id);

    const state = join(home, '.local', 'state', 'vpsorg-dns-mcp');
    expect(readFileSync(join(state, 'sandbox', 'journal.jsonl'), 'utf8')).toContain(id);
    expect(existsSync(join(state, 'journal.jsonl'))).toBe(false);
    expect(readFileSync(join(state, 'sandbox', 'state.key'), 'utf8')).not.toBe(readFileSync(join(state, 'state.key'), 'utf8'));
  });
});
