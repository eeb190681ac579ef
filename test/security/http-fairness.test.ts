/**
 * Issue 21 point 12 (part): the HTTP request cap is fair per client. One client holding twice its
 * share of long requests (a provider that does not answer) gets its share and then 503s; another client, here
 * the same access key from another loopback address, is still served.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { createServerFactory } from '../../src/server.js';
import { httpSecurity } from '../../src/http/guard.js';
import { startHttpServer, MAX_REQUESTS_PER_CLIENT, type RunningHttpServer } from '../../src/http/server.js';
import { DEFAULT_TEST_TOKEN } from '../../src/emulator/index.js';
import { json, startFakeProvider, type FakeProvider } from './support/provider.js';

const KEY = 'test-access-key-0123456789abcdef';
let fake: FakeProvider;
let http: RunningHttpServer;
let release: () => void = () => undefined;
const held = new Promise<void>((resolve) => (release = resolve));

beforeAll(async () => {
  fake = await startFakeProvider();
  // The zone list never comes until the test lets it: every list_zones call stays in progress.
  fake.route('GET', /^\/api\/v1\/dns-zones\/$/, async (req, res) => {
    await held;
    json([])(req, res);
  });
  const config = loadConfig({ VPSORG_API_URL: fake.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_JOURNAL: 'off' });
  const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: 120_000 });
  http = await startHttpServer({ factory: createServerFactory(config, { api, transport: { transport: 'http' } }), security: httpSecurity({ host: '127.0.0.1', key: KEY, auth: true }), port: 0 });
});
afterAll(async () => {
  release();
  await http?.close();
  await fake?.close();
});

function post(body: unknown, from?: string): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  const u = new URL(http.url);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', ...(from ? { localAddress: from } : {}), headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${KEY}`, 'mcp-protocol-version': '2025-06-18', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe('the request cap', () => {
  it('twice its share of long requests from one client leave room for another client', async () => {
    const listZones = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list_zones', arguments: {} } });
    const flood = Array.from({ length: 2 * MAX_REQUESTS_PER_CLIENT }, (_, i) => post(listZones(i + 1)));
    // The client's share reaches the provider and stays there; the rest of its requests are turned away.
    for (let i = 0; i < 400 && fake.seen.filter((s) => s.startsWith('GET /api/v1/dns-zones/')).length < MAX_REQUESTS_PER_CLIENT; i++) await new Promise((r) => setTimeout(r, 25));
    const early = await Promise.race([Promise.all(flood.slice(MAX_REQUESTS_PER_CLIENT)), new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    expect(early?.every((r) => r.status === 503 && r.headers['retry-after'] === '1'), 'the flood beyond its share is refused').toBe(true);
    expect(early?.[0]?.text).toContain(`this client already has ${MAX_REQUESTS_PER_CLIENT} requests in progress`);

    // Another client (another address) is served while the flood holds its share.
    const other = await post({ jsonrpc: '2.0', id: 100, method: 'tools/list', params: {} }, '127.0.0.2');
    expect(other.status, other.text).toBe(200);
    expect(other.text).toContain('list_zones');

    release();
    const done = await Promise.all(flood.slice(0, MAX_REQUESTS_PER_CLIENT));
    expect(done.every((r) => r.status === 200)).toBe(true);
    // With its requests finished, the first client is served again.
    expect((await post({ jsonrpc: '2.0', id: 200, method: 'tools/list', params: {} })).status).toBe(200);
  });
});
