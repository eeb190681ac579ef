/**
 * Least privilege holds on the HTTP transport as on stdio: read-only and toolsets decide which
 * tools exist, and the allowlist refuses other zones before any request reaches the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { loadConfig } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { createServerFactory } from '../../src/server.js';
import { httpSecurity } from '../../src/http/guard.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';

const KEY = 'policy-access-key-0123456789abcdef';
let emu: Emulator;
let http: RunningHttpServer;
let client: Client;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  emu.store.addZone('allowed.org', [{ record_type: 'A', name: 'www', value: '192.0.2.5' }]);
  const config = loadConfig({
    VPSORG_API_URL: emu.url,
    VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN,
    VPSORG_READ_ONLY: 'true',
    VPSORG_TOOLSETS: 'zones,records',
    VPSORG_ALLOWED_ZONES: '*.org',
  });
  const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: 2000 });
  http = await startHttpServer({ factory: createServerFactory(config, { api }), security: httpSecurity({ host: '127.0.0.1', key: KEY, auth: true }), port: 0 });
  client = new Client({ name: 'policy', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { Authorization: `Bearer ${KEY}` } } }));
});
afterAll(async () => {
  await client.close();
  await http.close();
  await emu.close();
});

describe('policy over HTTP', () => {
  it('read-only + toolsets: only the read tools of those toolsets exist', async () => {
    const tools = (await client.listTools()).tools;
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(tools.map((t) => t.name).sort()).toEqual(['get_record', 'get_zone', 'list_records', 'list_zones', 'search_records']);
  });

  it('a write or delete tool is unknown, and nothing reaches the API', async () => {
    const before = emu.requests.length;
    for (const name of ['create_record', 'delete_zone', 'apply_zone']) {
      await expect(client.callTool({ name, arguments: { zone: 'allowed.org' } })).rejects.toThrow(/not found/i);
    }
    expect(emu.requests.length).toBe(before);
  });

  it('the allowlist refuses another zone before any request, and lists only allowed zones', async () => {
    const before = emu.requests.length;
    const r = (await client.callTool({ name: 'get_zone', arguments: { zone: 'example.com' } })) as { isError?: boolean; content: Array<{ text: string }> };
    expect(r.isError).toBe(true);
    expect(r.content[0]?.text).toMatch(/outside VPSORG_ALLOWED_ZONES/);
    expect(emu.requests.length).toBe(before);
    const zones = (await client.callTool({ name: 'list_zones', arguments: {} })) as { structuredContent?: { zones: Array<{ domain: string }> } };
    expect(zones.structuredContent?.zones.map((z) => z.domain)).toEqual(['allowed.org']);
  });
});
