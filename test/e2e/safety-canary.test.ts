import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { startEmulator, type Emulator, type FaultRule } from '../../src/emulator/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { TOOLSETS } from '../../src/config.js';

// Distinctive values that must never come back: in a result, an error, a log line, a snapshot
// or a backup file, on any path (success, failure, gate refusal), in process and over stdio.
const CANARY = 'vps_CANARY_7f3a9c1e5b2d4680';
const SECRET = 'CANARY-SECRET-d41d8cd98f00b204';
const ALL = [CANARY, SECRET];
// Propagation tools query nameservers on the network; everything else runs against the emulator.
const LOCAL_TOOLSETS = TOOLSETS.filter((t) => t !== 'propagation').join(',');

let emu: Emulator;
let dir: string;
const seen: string[] = [];

function record(x: unknown): void {
  seen.push(typeof x === 'string' ? x : JSON.stringify(x, (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message} ${String(v.cause)}` : v)));
}

function seedZones(): void {
  emu.store.reset();
  emu.store.addZone('example.com', [
    { record_type: 'A', name: 'www', value: '192.0.2.10' },
    { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
    // Someone pasted the API token into a record: it must still never be shown.
    { record_type: 'TXT', name: 'oops', value: `api token ${CANARY}` },
  ]);
  emu.store.addZone('other.org', [{ record_type: 'A', name: '@', value: '198.51.100.1' }]);
  emu.faults.clear();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'safety-canary-'));
  emu = await startEmulator({ seed: 'empty', tokens: [{ token: CANARY, permissions: ['dns:list', 'dns:create', 'dns:update', 'dns:delete'] }] });
  seedZones();
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

function backups(): string[] {
  const root = join(dir, 'backups');
  return existsSync(root) ? readdirSync(root).map((f) => readFileSync(join(root, f), 'utf8')) : [];
}

function expectClean(): void {
  expect(seen.length).toBeGreaterThan(50);
  const all = [...seen, ...backups()].join('\n');
  for (const c of ALL) {
    const at = all.indexOf(c);
    expect(at, `leaked ${c}: ...${all.slice(Math.max(0, at - 300), at + 100)}...`).toBe(-1);
  }
}

const VARIANTS: Array<Record<string, unknown>> = [
  {},
  { zone: 'example.com' },
  { zone: 'example.com', name: 'www', record_type: 'A', value: '192.0.2.10' },
  { zone: 'example.com', name: 'oops', record_type: 'TXT' },
  { zone: 'example.com', name: 'leak', record_type: 'TXT', value: `carry ${CANARY} and ${SECRET}` },
  { zone: `${CANARY}.example` },
  { record: CANARY },
  { domain: 'fresh.example' },
  { zone: 'example.com', mode: 'sync', records: [{ name: 'www', record_type: 'A', value: '192.0.2.10' }] },
  { zone: 'example.com', zone_file: `$ORIGIN example.com.\nx 300 IN TXT "${CANARY}"\n$INCLUDE /etc/passwd\n` },
  { zone: 'example.com', confirm_token: `${CANARY}.${SECRET}` },
];

const FAULTS: FaultRule[] = [
  { kind: 'status', status: 500, times: Infinity },
  { kind: 'status', status: 401, times: Infinity },
  { kind: 'status', status: 403, times: Infinity },
  { kind: 'html', status: 502, times: Infinity },
  { kind: 'malformed_json', times: Infinity },
  { kind: 'rate_limit', retryAfter: 0, times: Infinity },
  { kind: 'drop_after', times: Infinity },
];

async function callEverything(h: Harness, faults: FaultRule[] = FAULTS): Promise<void> {
  const tools = await h.toolNames();
  expect(tools).toEqual(expect.arrayContaining(['delete_record', 'delete_zone', 'create_record', 'whoami']));
  const call = async (name: string, args: Record<string, unknown>) => {
    try {
      record((await h.call(name, args)).raw);
    } catch (err) {
      record(err);
    }
  };
  for (const name of tools) for (const args of VARIANTS) await call(name, args);
  for (const fault of faults) {
    emu.faults.add(fault);
    for (const name of tools) await call(name, VARIANTS[2] as Record<string, unknown>);
    emu.faults.clear();
  }
}

async function gatePaths(h: Harness): Promise<void> {
  const go = async (args: Record<string, unknown>, tool = 'delete_zone') => {
    const r = await h.call(tool, args);
    record(r.raw);
    return r.structured?.['confirm_token'] as string | undefined;
  };
  const t = await go({ zone: 'example.com' });
  await go({ zone: 'other.org', confirm_token: t });
  await go({ zone: 'example.com', confirm_token: `${t}x` });
  await go({ zone: 'example.com', dry_run: true });
  const tr = await go({ zone: 'example.com', name: 'oops', record_type: 'TXT' }, 'delete_record');
  await go({ zone: 'example.com', name: 'oops', record_type: 'TXT', confirm_token: tr }, 'delete_record');
  await go({ zone: 'example.com', name: 'oops', record_type: 'TXT', confirm_token: tr }, 'delete_record');
  await go({ zone: 'example.com', confirm_token: t });
  await go({ zone: 'example.com', confirm_token: t });
}

describe('the canary token and secret never come back', () => {
  let err: MockInstance;
  beforeAll(() => {
    err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      record(String(chunk));
      return true;
    });
  });
  afterAll(() => err.mockRestore());

  it('in process: every tool, every argument shape, every provider failure, every gate path, backups included', async () => {
    const env = { VPSORG_API_TOKEN: CANARY, VPSORG_CONFIRM_SECRET: SECRET, VPSORG_BACKUP_DIR: join(dir, 'backups'), VPSORG_TOOLSETS: LOCAL_TOOLSETS, VPSORG_LOG_LEVEL: 'debug' };
    const h = await startHarness({ emu, env });
    try {
      await callEverything(h);
      seedZones();
      await gatePaths(h);
    } finally {
      await h.close();
    }
    seedZones();
    let asked = '';
    const human = await startHarness({
      emu,
      env,
      elicit: async (p) => {
        asked += p.message;
        return { action: 'accept', content: { confirm: true } };
      },
    });
    try {
      record((await human.call('delete_record', { zone: 'example.com', name: 'oops', record_type: 'TXT' })).raw);
      record(asked);
    } finally {
      await human.close();
    }
    const blocked = join(dir, 'not-a-dir');
    writeFileSync(blocked, 'x');
    seedZones();
    const failing = await startHarness({ emu, env: { ...env, VPSORG_BACKUP_DIR: join(blocked, 'sub') } });
    try {
      const p = await failing.call('delete_zone', { zone: 'example.com' });
      record((await failing.call('delete_zone', { zone: 'example.com', confirm_token: p.structured?.['confirm_token'] })).raw);
    } finally {
      await failing.close();
    }
    expect(backups().length).toBeGreaterThan(0);
    expect(backups().join('\n')).toContain('api token vps_***');
    expectClean();
  });

  it('over stdio (the built server, a 2025-era client): results, stderr and backups', async () => {
    const BIN = 'dist/index.js';
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does).`);
    seedZones();
    seen.length = 0;
    const env = {
      PATH: process.env['PATH'] ?? '',
      VPSORG_API_URL: emu.url,
      VPSORG_API_TOKEN: CANARY,
      VPSORG_CONFIRM_SECRET: SECRET,
      VPSORG_BACKUP_DIR: join(dir, 'backups'),
      VPSORG_TOOLSETS: LOCAL_TOOLSETS,
      VPSORG_LOG_LEVEL: 'debug',
    };
    const transport = new StdioV1({ command: process.execPath, args: [BIN], env, stderr: 'pipe' });
    transport.stderr?.on('data', (d: Buffer) => record(d.toString()));
    const client = new ClientV1({ name: 'v1', version: '1' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      record(req.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    await client.connect(transport);
    const h = {
      toolNames: async () => (await client.listTools()).tools.map((t) => t.name),
      call: async (name: string, args: Record<string, unknown> = {}) => {
        const raw = (await client.callTool({ name, arguments: args })) as { structuredContent?: Record<string, unknown> };
        return { raw, structured: raw.structuredContent, text: '' };
      },
    } as unknown as Harness;
    try {
      const probe = (await client.callTool({ name: 'list_zones', arguments: {} })) as { isError?: boolean; content?: Array<{ text?: string }> };
      expect(probe.isError, `the built server cannot reach the emulator: ${probe.content?.[0]?.text}`).toBeFalsy();
      // Failures that are not retried keep this quick (the built server backs off for real on 5xx/429).
      await callEverything(h, [{ kind: 'status', status: 401, times: Infinity }, { kind: 'status', status: 403, times: Infinity }]);
      seedZones();
      const r = await h.call('delete_zone', { zone: 'example.com' });
      expect(r.structured?.['confirmation']).toBe('confirmed_by_user');
    } finally {
      await client.close();
    }
    expectClean();
  });
});
