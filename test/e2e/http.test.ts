/**
 * The Streamable HTTP transport with real clients of both eras (SDK v2, protocol 2026-07-28; SDK
 * v1, 2025-11-25 over the stateless legacy path), and raw requests for the gates: Host and
 * Origin (403), the access key (401), and no state kept between requests.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { loadConfig } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { createServerFactory } from '../../src/server.js';
import { httpSecurity } from '../../src/http/guard.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { ConfigError } from '../../src/errors.js';

const KEY = 'test-access-key-0123456789abcdef';
let emu: Emulator;
let http: RunningHttpServer;
let base: URL;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  const config = loadConfig({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN });
  const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: 2000 });
  http = await startHttpServer({ factory: createServerFactory(config, { api, transport: { transport: 'http', key_id: 'sha256:test' } }), security: httpSecurity({ host: '127.0.0.1', key: KEY, auth: true }), port: 0 });
  base = new URL(http.url);
});
afterAll(async () => {
  await http.close();
  await emu.close();
});

const auth = { headers: { Authorization: `Bearer ${KEY}` } };

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw POST where every header is ours to set (fetch does not let a caller set Host). */
function post(headers: Record<string, string>, body: unknown, path = base.pathname): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: base.port, path, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

describe('real clients', () => {
  it('under the static key every caller is one actor, `static-key`, in the change\'s receipt (issue 23)', async () => {
    const client = new ClientV2({ name: 'v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new HttpV2(new URL(http.url), { requestInit: auth }));
    const res = (await client.callTool({ name: 'create_record', arguments: { zone: 'example.com', name: 'actor-test', record_type: 'TXT', value: 'who' } })) as { structuredContent?: { undo?: { receipt: string } } };
    const receipt = res.structuredContent?.undo?.receipt ?? '';
    expect(JSON.parse(Buffer.from(receipt.split('.')[1] ?? '', 'base64url').toString())).toMatchObject({ actor: { channel: 'static-key' } });
    await client.close();
  });

  it('serves a 2026-07-28 client (SDK v2): tools/list and a call against the API', async () => {
    const client = new ClientV2({ name: 'v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new HttpV2(new URL(http.url), { requestInit: auth }));
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['list_zones', 'create_record', 'check_propagation']));
    const res = (await client.callTool({ name: 'list_zones', arguments: {} })) as { structuredContent?: { zones: Array<{ domain: string }> } };
    expect(res.structuredContent?.zones.map((z) => z.domain)).toEqual(['example.com']);
    await client.close();
  });

  it('serves a 2025-era client (SDK v1, initialize handshake) statelessly', async () => {
    const client = new ClientV1({ name: 'v1', version: '1' });
    const transport = new HttpV1(new URL(http.url), { requestInit: auth });
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('vpsorg-dns-mcp');
    // Stateless: no session id is handed out, so any replica can serve the next request.
    expect(transport.sessionId).toBeUndefined();
    const made = (await client.callTool({ name: 'create_record', arguments: { zone: 'example.com', record_type: 'TXT', name: 'http-v1', value: 'over http' } })) as { isError?: boolean };
    expect(made.isError).toBeFalsy();
    expect(emu.store.findZone('example.com')?.records?.some((r) => r.name === 'http-v1')).toBe(true);
    await client.close();
  });

  it('keeps no state between requests: tools/list works without any handshake and sets no session', async () => {
    const res = await post({ Authorization: `Bearer ${KEY}` }, listTools);
    expect(res.status).toBe(200);
    expect(res.headers['mcp-session-id']).toBeUndefined();
    expect(res.body).toContain('"list_zones"');
  });
});

describe('the gates', () => {
  it('refuses a foreign Origin with 403 (DNS-rebinding protection), even with the right key', async () => {
    const res = await post({ Authorization: `Bearer ${KEY}`, Origin: 'http://evil.example' }, listTools);
    expect(res.status).toBe(403);
    expect(res.body).toContain('Invalid Origin');
    const ok = await post({ Authorization: `Bearer ${KEY}`, Origin: `http://localhost:${base.port}` }, listTools);
    expect(ok.status).toBe(200);
  });

  it('refuses a foreign Host with 403', async () => {
    const res = await post({ Authorization: `Bearer ${KEY}`, Host: `evil.example:${base.port}` }, listTools);
    expect(res.status).toBe(403);
    expect(res.body).toContain('Invalid Host');
    const ok = await post({ Authorization: `Bearer ${KEY}`, Host: `localhost:${base.port}` }, listTools);
    expect(ok.status).toBe(200);
  });

  it('refuses a missing or wrong access key with 401 and a Bearer challenge', async () => {
    const missing = await post({}, listTools);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrong = await post({ Authorization: `Bearer ${KEY}x` }, listTools);
    expect(wrong.status).toBe(401);
    expect(wrong.body).not.toContain(KEY);
  });

  it('never takes a VPS.org token from a client: it is refused, and named as the wrong thing to send', async () => {
    const before = emu.requests.length;
    const res = await post({ Authorization: `Bearer ${DEFAULT_TEST_TOKEN}` }, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_zones', arguments: {} } });
    expect(res.status).toBe(401);
    expect(res.body).toContain('VPS.org API token');
    expect(res.body).not.toContain(DEFAULT_TEST_TOKEN);
    expect(emu.requests.length).toBe(before);
  });

  it('rejects a v2 client without the key', async () => {
    const client = new ClientV2({ name: 'nokey', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await expect(client.connect(new HttpV2(new URL(http.url)))).rejects.toThrow();
  });

  it('answers 404 off the MCP path', async () => {
    const res = await post({ Authorization: `Bearer ${KEY}` }, listTools, '/other');
    expect(res.status).toBe(404);
  });
});

describe('start-up refusals', () => {
  it('refuses a non-loopback address without a key, and --no-http-auth off loopback', () => {
    expect(() => httpSecurity({ host: '192.0.2.10', key: undefined, auth: true })).toThrow(ConfigError);
    expect(() => httpSecurity({ host: '192.0.2.10', key: KEY, auth: false })).toThrow(/only allowed on a loopback/);
    expect(() => httpSecurity({ host: '0.0.0.0', key: KEY, auth: true })).toThrow(/--allowed-hosts/);
    expect(() => httpSecurity({ host: '127.0.0.1', key: undefined, auth: true })).toThrow(/VPSORG_MCP_HTTP_KEY/);
    expect(() => httpSecurity({ host: '127.0.0.1', key: 'short', auth: true })).toThrow(/at least 16/);
    expect(() => httpSecurity({ host: '127.0.0.1', key: 'vps_0123456789abcdef0123', auth: true })).toThrow(/VPS.org API token/);
  });

  it('allows loopback without a key only when asked, and names the bound and extra hosts', () => {
    expect(httpSecurity({ host: '127.0.0.1', key: undefined, auth: false }).key).toBeNull();
    expect(httpSecurity({ host: '::1', key: undefined, auth: false }).allowedHostnames).toContain('[::1]');
    const sec = httpSecurity({ host: '0.0.0.0', key: KEY, auth: true, allowedHosts: ['dns-mcp.internal'] });
    expect(sec.allowedHostnames).toEqual(expect.arrayContaining(['localhost', 'dns-mcp.internal']));
    expect(sec.allowedHostnames).not.toContain('0.0.0.0');
  });
});

describe('the built binary with --http', () => {
  const bin = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, ['dist/index.js', ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 20_000 }, (err, _out, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stderr });
      });
    });

  beforeAll(() => {
    if (!existsSync('dist/index.js')) throw new Error('dist/index.js is missing: run npm run build first (npm test does).');
  });

  it('refuses unsafe settings at start (exit code 2) before binding anything', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--http', '--port', '0'], {}, /needs an access key/],
      [['--http', '--host', '192.0.2.10', '--port', '0'], {}, /Refusing to listen on 192.0.2.10 without an access key/],
      [['--http', '--host', '192.0.2.10', '--port', '0', '--no-http-auth'], { VPSORG_MCP_HTTP_KEY: KEY }, /only allowed on a loopback address/],
      [['--http', '--host', '0.0.0.0', '--port', '0'], { VPSORG_MCP_HTTP_KEY: KEY }, /--allowed-hosts/],
    ];
    for (const [args, env, message] of cases) {
      const r = await bin(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('serves the sandbox over HTTP with a key made for the run', async () => {
    const child = spawn(process.execPath, ['dist/index.js', '--sandbox', '--http', '--port', '0'], { env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      for (let i = 0; i < 200 && !/at http:\/\/127\.0\.0\.1:\d+\/mcp/.test(err); i++) await new Promise((r) => setTimeout(r, 25));
      const url = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err)?.[1];
      const key = /Bearer <key>\): ([0-9a-f]+)/.exec(err)?.[1];
      expect(url, err).toBeDefined();
      expect(key, err).toMatch(/^[0-9a-f]{48}$/);
      const client = new ClientV1({ name: 'v1', version: '1' });
      await client.connect(new HttpV1(new URL(url as string), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
      const zones = (await client.callTool({ name: 'list_zones', arguments: {} })) as { structuredContent?: { zones: Array<{ domain: string }> } };
      expect(zones.structuredContent?.zones.map((z) => z.domain)).toEqual(['example.com']);
      await client.close();
      expect(out).toBe('');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
