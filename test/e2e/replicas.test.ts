/**
 * Issue 24: two server processes (HTTP, the same VPSORG_CONFIRM_SECRET and VPSORG_STATE_URL on a
 * real PostgreSQL cluster) behind no sticky sessions: a client alternates between them. A
 * confirmation used through one is refused through the other; the zone budget counts writes
 * through both; with PostgreSQL stopped, writes refuse with state_unavailable and nothing reaches
 * the emulator while reads answer, and once it is back writes work again without a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { BIN } from '../helpers/cli.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { RECORDS, apiFor, recordOf, writes } from './safety-helpers.js';

const KEY = 'test-access-key-0123456789abcdef';

interface Replica { url: string; child: ChildProcess; client: Client }

async function replica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, [BIN, '--http', '--port', '0'], { env: { PATH: process.env['PATH'] ?? '', VPSORG_JOURNAL: 'off', VPSORG_MCP_HTTP_KEY: KEY, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  for (let i = 0; i < 800 && !/at http:\/\/127\.0\.0\.1:\d+\/mcp/.test(err) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 25));
  const url = /(http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(err)?.[1];
  if (!url) throw new Error(`the server did not start: ${err}`);
  const client = new Client({ name: 'replicas-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${KEY}` } } }));
  return { url, child, client };
}

async function stop(r: Replica | undefined): Promise<void> {
  if (!r) return;
  await r.client.close().catch(() => undefined);
  if (r.child.exitCode !== null) return;
  r.child.kill('SIGTERM');
  await new Promise((done) => r.child.once('exit', done));
}

interface Called { isError: boolean; text: string; structured: Record<string, unknown> | undefined; code: string | undefined; reason: string | undefined }

async function call(r: Replica, name: string, args: Record<string, unknown>): Promise<Called> {
  const raw = (await r.client.callTool({ name, arguments: args })) as { isError?: boolean; content?: Array<{ text?: string }>; structuredContent?: Record<string, unknown>; _meta?: Record<string, { code?: string; details?: { reason?: string } }> };
  const err = raw._meta?.['vpsorg-dns-mcp/error'];
  return { isError: raw.isError === true, text: (raw.content ?? []).map((c) => c.text ?? '').join('\n'), structured: raw.structuredContent, code: err?.code, reason: err?.details?.reason };
}

let pg: PostgresCluster;
let emu: Emulator;
let a: Replica;
let b: Replica;

beforeAll(async () => {
  [pg, emu] = await Promise.all([startPostgres(), startEmulator({ seed: 'demo' })]);
  const env = { VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_CONFIRM_SECRET: 'replicas-secret-0123456789abcdef', VPSORG_CONFIRM_MODE: 'token', VPSORG_STATE_URL: pg.url };
  [a, b] = await Promise.all([replica(env), replica(env)]);
}, 90_000);
afterAll(async () => {
  await Promise.all([stop(a), stop(b)]);
  await emu?.close();
  await pg?.destroy();
});

describe('two replicas sharing PostgreSQL', () => {
  it('a confirmation used through B is refused through A, even with the records back as previewed', async () => {
    emu.store.addZone('replay.example', [{ record_type: 'TXT', name: '@', value: 'v=spf1 -all' }]);
    const args = { zone: 'replay.example', name: '@', record_type: 'TXT', value: 'v=spf1 +all' };
    const preview = await call(a, 'patch_record', args);
    const token = preview.structured?.['confirm_token'];
    expect(token, preview.text).toEqual(expect.any(String));
    const done = await call(b, 'patch_record', { ...args, confirm_token: token });
    expect(done.structured, done.text).toMatchObject({ applied: true, confirmation: 'confirmed_by_token' });
    await apiFor(emu).patchRecord(recordOf(emu, 'replay.example', '@', 'TXT').uuid, { value: 'v=spf1 -all' });
    emu.requests.length = 0;
    const again = await call(a, 'patch_record', { ...args, confirm_token: token });
    expect(again.isError, again.text).toBe(true);
    expect(again.reason).toBe('used');
    expect(writes(emu)).toEqual([]);
  });

  it('the zone budget counts the writes made through both: the fourth change is held, whichever replica takes it', async () => {
    emu.store.addZone('budget.example', [...RECORDS, { record_type: 'A', name: 'shop', value: '192.0.2.30' }]);
    for (const [r, name] of [[a, 'www'], [b, 'api'], [a, 'shop']] as const) {
      // No budget_token passed on: only the shared store can know what the other replica ran.
      const res = await call(r, 'update_ttl', { zone: 'budget.example', name, record_type: 'A', ttl: 60 });
      expect(res.structured, res.text).toMatchObject({ applied: true });
    }
    emu.requests.length = 0;
    const fourth = await call(b, 'update_ttl', { zone: 'budget.example', name: '@', record_type: 'A', ttl: 60 });
    expect(fourth.structured, fourth.text).toMatchObject({ confirmation: 'required', budget: { used: 3, limit: 3 } });
    expect(writes(emu)).toEqual([]);
  });

  it('with PostgreSQL stopped, writes refuse with state_unavailable and send nothing, reads answer; once it is back, writes work', async () => {
    await pg.stop();
    try {
      emu.requests.length = 0;
      for (const r of [a, b]) {
        const w = await call(r, 'create_record', { zone: 'example.com', name: 'outage', record_type: 'A', value: '192.0.2.50' });
        expect(w.isError, w.text).toBe(true);
        expect(w.code).toBe('state_unavailable');
        expect(w.text).toMatch(/nothing was sent to VPS\.org/);
      }
      expect(writes(emu)).toEqual([]);
      const read = await call(a, 'list_records', { zone: 'example.com' });
      expect(read.isError, read.text).toBe(false);
      const ready = await fetch(`${b.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { state: 'failing' } });
    } finally {
      await pg.start();
    }
    const w = await call(b, 'create_record', { zone: 'example.com', name: 'outage', record_type: 'A', value: '192.0.2.50' });
    expect(w.structured, w.text).toMatchObject({ applied: true });
    expect(recordOf(emu, 'example.com', 'outage', 'A').value).toBe('192.0.2.50');
  }, 60_000);
});
