/**
 * Issue 12.1: an argument a tool does not take is refused, naming the nearest valid one, and
 * nothing is sent. A misspelt `dryRun` used to perform the real write; `ttL` was dropped.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startHarness, type Harness } from '../helpers/harness.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { loadConfig } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { createServerFactory } from '../../src/server.js';
import { httpSecurity } from '../../src/http/guard.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { nearestName } from '../../src/tools/kit/strict.js';

let emu: Emulator;
let h: Harness;
let http: RunningHttpServer;
const KEY = 'strict-inputs-key-0123456789abcdef';

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty' });
  h = await startHarness({ emu });
  const config = loadConfig({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN });
  const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: 2000 });
  http = await startHttpServer({ factory: createServerFactory(config, { api }), security: httpSecurity({ host: '127.0.0.1', key: KEY, auth: true }), port: 0 });
});
afterAll(async () => {
  await h.close();
  await http.close();
  await emu.close();
});
beforeEach(() => {
  emu.store.reset();
  emu.store.addZone('example.com', [{ record_type: 'A', name: '@', value: '192.0.2.1' }]);
  emu.requests.length = 0;
});

const writes = () => emu.requests.filter((r) => r.method !== 'GET');
const errorMeta = (raw: unknown) => (raw as { _meta?: Record<string, { code: string; field?: string }> })._meta?.['vpsorg-dns-mcp/error'];

describe('unknown arguments are refused, never dropped', () => {
  it('dryRun for dry_run: refused with the nearest name, as data too, and nothing is sent', async () => {
    const r = await h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'x', value: '192.0.2.9', dryRun: true });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('Unknown argument "dryRun": did you mean "dry_run"? Nothing was sent.');
    expect(errorMeta(r.raw)).toMatchObject({ code: 'validation', field: 'dryRun' });
    expect(emu.requests).toEqual([]);
  });

  it('a misspelt key inside apply_zone records is named with its path', async () => {
    const r = await h.call('apply_zone', { zone: 'example.com', records: [{ name: 'x', record_type: 'A', value: '192.0.2.9', ttL: 60 }] });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('Unknown argument "ttL": did you mean "ttl"?');
    expect(errorMeta(r.raw)?.field).toBe('records.0.ttL');
    expect(writes()).toEqual([]);
  });

  it('every tool publishes additionalProperties: false on every object of its input schema', async () => {
    const { tools } = await h.client.listTools();
    const objects = (s: Record<string, unknown>, at: string): Array<[string, unknown]> => {
      const here: Array<[string, unknown]> = s['type'] === 'object' ? [[at, s['additionalProperties']]] : [];
      const kids = [...Object.entries((s['properties'] ?? {}) as Record<string, Record<string, unknown>>), ...(s['items'] ? [['[]', s['items']] as const] : [])];
      return [...here, ...kids.flatMap(([k, v]) => objects(v as Record<string, unknown>, `${at}.${k}`))];
    };
    for (const t of tools) for (const [at, ap] of objects(t.inputSchema as Record<string, unknown>, t.name)) expect(ap, at).toBe(false);
  });

  it('over HTTP the same refusal', async () => {
    const client = new Client({ name: 'strict', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { Authorization: `Bearer ${KEY}` } } }));
    const r = (await client.callTool({ name: 'list_records', arguments: { zone: 'example.com', recordType: 'A' } })) as { isError?: boolean; content: Array<{ text: string }> };
    await client.close();
    expect(r.isError).toBe(true);
    expect(r.content[0]?.text).toContain('Unknown argument "recordType": did you mean "record_type"?');
  });

  it('in the CLI, --json keys and flags name the nearest parameter too', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(process.execPath, ['dist/index.js', 'call', ...args], { env: { PATH: process.env['PATH'] ?? '', VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN } }, (err, _out, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stderr }),
        ),
      );
    const json = await run(['create_record', '--json', JSON.stringify({ zone: 'example.com', record_type: 'A', name: 'x', value: '192.0.2.9', dryRun: true })]);
    expect(json.code).not.toBe(0);
    expect(json.stderr).toContain('Unknown argument "dryRun": did you mean "dry_run"? Nothing was sent.');
    const flag = await run(['create_record', '--zone', 'example.com', '--record-type', 'A', '--name', 'x', '--value', '192.0.2.9', '--dryrun']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('did you mean --dry-run?');
    expect(writes()).toEqual([]);
  });
});

describe('null means absent (function-calling modes fill every property, null for the unused ones)', () => {
  it('create_record with every optional argument null: created with the defaults', async () => {
    const r = await h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'n', value: '192.0.2.9', ttl: null, priority: null, dry_run: null, confirm_token: null, budget_token: null });
    expect(r.isError, r.text).toBeFalsy();
    expect(r.structured).toMatchObject({ applied: true, changes: [{ action: 'create', after: { name: 'n', ttl: 3600, priority: null } }] });
  });

  it('list_records with null filters and paging lists everything', async () => {
    const r = await h.call('list_records', { zone: 'example.com', record_type: null, name: null, limit: null, cursor: null });
    expect(r.isError, r.text).toBeFalsy();
    expect((r.structured?.['records'] as unknown[]).length).toBe(1);
  });

  it('inside apply_zone records too; a required field that is null is still refused by name', async () => {
    const plan = await h.call('apply_zone', { zone: 'example.com', records: [{ name: 'www', record_type: 'A', value: '192.0.2.7', ttl: null, priority: null }], mode: null, dry_run: true, confirm_token: null });
    expect(plan.isError, plan.text).toBeFalsy();
    expect(plan.structured).toMatchObject({ mode: 'upsert', counts: { creates: 1, deletes: 0 } });
    const missing = await h.call('create_record', { zone: null, record_type: 'A', name: 'n', value: '192.0.2.9' });
    expect(missing.isError).toBe(true);
    expect(errorMeta(missing.raw)?.field).toBe('zone');
    expect(writes()).toEqual([]);
  });
});

describe('a priority where the type has none', () => {
  it('is refused by name, over MCP, and nothing is sent; an MX retyped to CNAME leaves its priority behind', async () => {
    const r = await h.call('create_record', { zone: 'example.com', record_type: 'A', name: 'p', value: '192.0.2.9', priority: 10 });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('A records have no priority (only MX and SRV do): leave priority out');
    expect(errorMeta(r.raw)?.field).toBe('priority');
    const plan = await h.call('plan_zone', { zone: 'example.com', records: [{ name: 'p', record_type: 'A', value: '192.0.2.9', priority: 5 }] });
    expect(errorMeta(plan.raw)?.field).toBe('records[0].priority');
    expect(writes()).toEqual([]);
    expect((await h.call('create_record', { zone: 'example.com', record_type: 'MX', name: 'm', value: 'mail.example.net', priority: 10 })).isError).toBeFalsy();
    const uuid = emu.store.findZone('example.com')?.records?.find((x) => x.record_type === 'MX')?.uuid;
    const retyped = await h.call('patch_record', { record: uuid, record_type: 'CNAME', value: 'target.example.net', dry_run: true });
    expect(retyped.isError, retyped.text).toBeFalsy();
  });
});

describe('nearestName', () => {
  it('matches case, separators and small typos; nothing when far', () => {
    const names = ['zone', 'name', 'record_type', 'value', 'ttl', 'priority', 'dry_run'];
    expect(nearestName('dryRun', names)).toBe('dry_run');
    expect(nearestName('TTL', names)).toBe('ttl');
    expect(nearestName('recordtype', names)).toBe('record_type');
    expect(nearestName('type', names)).toBe('record_type');
    expect(nearestName('prio', names)).toBe('priority');
    expect(nearestName('valeu', names)).toBe('value');
    expect(nearestName('__proto__', names)).toBeUndefined();
    expect(nearestName('banana', names)).toBeUndefined();
  });
});
