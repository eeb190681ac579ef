/**
 * Issue 21.11: the approval page's address comes from the operator (VPSORG_PUBLIC_URL), never from
 * what a client sends. A client that says `X-Forwarded-Proto: https` (or any Host the transport
 * accepts) does not move the page; only VPSORG_TRUST_FORWARDED lets a proxy's header count.
 */
import { describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { loadConfig, type Env } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { createServerFactory } from '../../src/server.js';
import { httpSecurity } from '../../src/http/guard.js';
import { startHttpServer } from '../../src/http/server.js';
import { routedDesk } from '../../src/http/approval-page.js';
import { ApprovalStore } from '../../src/safety/approval-desk.js';
import { publicHostnames } from '../../src/auth/public-url.js';
import { seededEmulator } from '../e2e/safety-helpers.js';

let emu: Emulator;
seededEmulator((e) => (emu = e));

/** The URL of the approval page a delete is offered under, for a server with these settings and a client sending these headers. */
async function pageUrl(settings: Env, headers: Record<string, string>): Promise<{ url: string; endpoint: string }> {
  const config = loadConfig({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_JOURNAL: 'off', ...settings });
  const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: 2000 });
  const store = new ApprovalStore();
  let origin = '';
  const approvals = routedDesk(store, () => origin);
  const http = await startHttpServer({ factory: createServerFactory(config, { api, approvals, transport: { transport: 'http' } }), security: httpSecurity({ host: '127.0.0.1', key: undefined, auth: false, allowedHosts: publicHostnames(config) }), port: 0, approvals: store, address: config });
  origin = new URL(http.url).origin;
  const seen: string[] = [];
  const client = new Client({ name: 'c', version: '1' }, { capabilities: { elicitation: { url: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
  client.setRequestHandler('elicitation/create', async (req) => (seen.push((req.params as { url?: string }).url ?? ''), { action: 'decline' }) as never);
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers } }));
    await client.callTool({ name: 'delete_record', arguments: { zone: 'example.com', name: 'www', record_type: 'A' } });
    return { url: seen[0] ?? '', endpoint: origin };
  } finally {
    await client.close();
    await http.close();
  }
}

describe('where the approval page is offered', () => {
  it('a client\'s X-Forwarded-Proto is ignored unless the operator trusts a proxy', async () => {
    const plain = await pageUrl({}, { 'x-forwarded-proto': 'https' });
    expect(plain.url.startsWith(`${plain.endpoint}/approve/`), plain.url).toBe(true);
    const trusted = await pageUrl({ VPSORG_TRUST_FORWARDED: 'true' }, { 'x-forwarded-proto': 'https' });
    expect(trusted.url.startsWith(`${trusted.endpoint.replace('http://', 'https://')}/approve/`), trusted.url).toBe(true);
  });

  it('VPSORG_PUBLIC_URL decides, whatever the request says', async () => {
    const r = await pageUrl({ VPSORG_PUBLIC_URL: 'https://dns.example.org/mcp', VPSORG_TRUST_FORWARDED: 'true' }, { 'x-forwarded-proto': 'http' });
    expect(r.url.startsWith('https://dns.example.org/approve/'), r.url).toBe(true);
  });

  it('a public URL that would send pages or tokens over plain http off loopback is refused at start', () => {
    expect(() => loadConfig({ VPSORG_PUBLIC_URL: 'http://dns.example.org/mcp' })).toThrow(/plain http:\/\/ to dns\.example\.org/);
    expect(loadConfig({ VPSORG_PUBLIC_URL: 'https://dns.example.org' }).publicUrl?.href).toBe('https://dns.example.org/mcp');
  });
});
