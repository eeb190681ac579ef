import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { startHarness, type Harness, type HarnessOptions } from '../helpers/harness.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { loadConfig } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { startupPermissions } from '../../src/safety/permissions.js';
import { seed } from './safety-helpers.js';

const LIST_ONLY = 'vps_list_only_0123456789';
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({
    seed: 'empty',
    tokens: [
      { token: DEFAULT_TEST_TOKEN, permissions: ['dns:list', 'dns:create', 'dns:update', 'dns:delete'] },
      { token: LIST_ONLY, permissions: ['dns:list'] },
    ],
  });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => seed(emu));

async function withServer<T>(opts: Omit<HarnessOptions, 'emu'>, fn: (h: Harness) => Promise<T>): Promise<T> {
  const h = await startHarness({ emu, ...opts });
  try {
    return await fn(h);
  } finally {
    await h.close();
  }
}

const names = (filter: (t: (typeof ALL_TOOLS)[number]) => boolean) => ALL_TOOLS.filter(filter).map((t) => t.name);

/** Calling a tool the server did not register is a protocol error (-32602), not a tool result. */
async function expectUnknownTool(h: Harness, name: string, args: Record<string, unknown>) {
  await expect(h.client.callTool({ name, arguments: args })).rejects.toThrow(/not found|unknown tool|-32602/i);
}

describe('which tools exist, per policy', () => {
  it('by default every tool is listed (the app-only approve_plan to MCP Apps clients only); the deletes are destructive, not idempotent, not read-only', async () => {
    await withServer({}, async (h) => {
      const { tools } = await h.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(names((t) => !t.appOnly));
      for (const name of ['delete_record', 'delete_zone']) {
        expect(tools.find((t) => t.name === name)?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });
        const props = tools.find((t) => t.name === name)?.inputSchema.properties ?? {};
        expect(Object.keys(props)).toContain('confirm_token');
        expect(Object.keys(props)).not.toContain('confirm');
      }
    });
  });

  it('no tool anywhere takes a boolean "confirm" argument', () => {
    for (const t of ALL_TOOLS) expect(Object.keys(t.input.shape), t.name).not.toContain('confirm');
  });

  it('read-only: only readOnlyHint tools exist; deletes and writes are unknown tools and reach nothing', async () => {
    await withServer({ env: { VPSORG_READ_ONLY: 'true' } }, async (h) => {
      expect(await h.toolNames()).toEqual(names((t) => t.hints.readOnlyHint));
      expect(await h.toolNames()).not.toContain('delete_zone');
      await expectUnknownTool(h, 'delete_zone', { zone: 'example.com' });
      await expectUnknownTool(h, 'delete_record', { zone: 'example.com', name: 'www', record_type: 'A' });
      await expectUnknownTool(h, 'create_record', { zone: 'example.com', name: 'x', record_type: 'A', value: '192.0.2.1' });
      expect(emu.requests).toEqual([]);
      expect(await h.client.getInstructions()).toMatch(/Read-only mode/);
    });
  });

  it('toolsets: only the chosen groups exist; a delete outside them is an unknown tool', async () => {
    await withServer({ env: { VPSORG_TOOLSETS: 'account,records' } }, async (h) => {
      expect(await h.toolNames()).toEqual(names((t) => t.toolset === 'account' || t.toolset === 'records'));
      expect(await h.toolNames()).toContain('delete_record');
      await expectUnknownTool(h, 'delete_zone', { zone: 'example.com' });
    });
    await withServer({ env: { VPSORG_TOOLSETS: 'zones', VPSORG_READ_ONLY: 'true' } }, async (h) => {
      expect(await h.toolNames()).toEqual(names((t) => t.toolset === 'zones' && t.hints.readOnlyHint));
    });
    expect(emu.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  it('permissions: tools the token cannot use are left out, and the instructions say so', async () => {
    await withServer({ deps: { permissions: ['dns:list'] } }, async (h) => {
      const listed = await h.toolNames();
      // approve_plan needs no permission itself, but exists only with a write tool it serves: none is left.
      expect(listed).toEqual(names((t) => (!t.permission || t.permission === 'dns:list') && !t.appOnly));
      expect(listed).not.toContain('delete_zone');
      expect(listed).toContain('list_zones');
      expect(await h.client.getInstructions()).toMatch(/Left out because the API token lacks their permission: .*delete_zone \(dns:delete\)/);
      await expectUnknownTool(h, 'delete_zone', { zone: 'example.com' });
    });
  });

  it('the allowlist hides no tool but limits every call, reads included', async () => {
    await withServer({ env: { VPSORG_ALLOWED_ZONES: '*.org' } }, async (h) => {
      expect(await h.toolNames()).toEqual(names((t) => !t.appOnly));
      const zones = await h.call('list_zones');
      expect((zones.structured?.['zones'] as Array<{ domain: string }>).map((z) => z.domain)).toEqual(['other.org']);
      const read = await h.call('get_zone', { zone: 'example.com' });
      expect(read.text).toMatch(/outside VPSORG_ALLOWED_ZONES/);
      const del = await h.call('delete_zone', { zone: 'example.com' });
      expect(del.text).toMatch(/outside VPSORG_ALLOWED_ZONES/);
      expect(emu.requests.filter((r) => r.path.includes('/dns-zones/') && r.query.includes('example.com'))).toEqual([]);
      expect(emu.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    });
  });
});

describe('the start-up permission filter (VPSORG_FILTER_BY_PERMISSIONS)', () => {
  const api = (token: string, url = emu.url) => createApiClient({ baseUrl: url, token, maxRetries: 0, timeoutMs: 1000 });
  const cfg = (env: Record<string, string>) => loadConfig({ VPSORG_API_URL: emu.url, ...env });

  it('is off by default and then asks nothing', async () => {
    expect(await startupPermissions(cfg({ VPSORG_API_TOKEN: LIST_ONLY }), api(LIST_ONLY))).toBeNull();
    expect(emu.requests).toEqual([]);
  });

  it('reads the token\'s permissions once when on', async () => {
    const perms = await startupPermissions(cfg({ VPSORG_API_TOKEN: LIST_ONLY, VPSORG_FILTER_BY_PERMISSIONS: 'true' }), api(LIST_ONLY));
    expect(perms).toEqual(['dns:list']);
    expect(emu.requests.map((r) => r.path)).toEqual(['/api/v1/account/me/']);
  });

  it('registers everything (null) and says why on stderr when the provider cannot be asked', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const down = await startEmulator();
      const url = down.url;
      await down.close();
      expect(await startupPermissions(cfg({ VPSORG_API_TOKEN: LIST_ONLY, VPSORG_FILTER_BY_PERMISSIONS: 'true' }), api(LIST_ONLY, url))).toBeNull();
      emu.faults.add({ path: '/account/me/', kind: 'hang', times: 1 });
      const slow = cfg({ VPSORG_API_TOKEN: LIST_ONLY, VPSORG_FILTER_BY_PERMISSIONS: 'true', VPSORG_TIMEOUT_MS: '150' });
      expect(await startupPermissions(slow, api(LIST_ONLY))).toBeNull();
      expect(await startupPermissions(cfg({ VPSORG_FILTER_BY_PERMISSIONS: 'true' }), api(''))).toBeNull();
      const lines = err.mock.calls.map((c) => String(c[0])).join('');
      expect(lines).toMatch(/Could not read the API token's permissions .*registering every tool/);
      expect(lines).toMatch(/VPSORG_API_TOKEN is not set: registering every tool/);
      expect(lines).not.toContain(LIST_ONLY);
    } finally {
      err.mockRestore();
      emu.faults.clear();
    }
  });
});
