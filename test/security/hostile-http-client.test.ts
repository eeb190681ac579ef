// Issue 13 points 9 and 12 over HTTP: a client that disconnects cancels its calls, one process
// serves a bounded number of requests at once, and header bytes cannot forge or colour log lines.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { createServerFactory } from '../../src/server.js';
import { httpSecurity } from '../../src/http/guard.js';
import { MAX_REQUESTS_PER_CLIENT, startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { DEFAULT_TEST_TOKEN } from '../../src/emulator/index.js';
import { startFakeProvider, type FakeProvider } from './support/provider.js';
import { admission, clientKey } from '../../src/http/admission.js';

const KEY = 'redteam-access-key-0123456789abcdef';
const CALL = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_zones', arguments: {} } });

describe('a hostile HTTP client', () => {
  let fake: FakeProvider;
  let http: RunningHttpServer;
  const hanging: IncomingMessage[] = [];
  beforeAll(async () => {
    fake = await startFakeProvider();
    // Every zone listing hangs until the test lets go: each tool call stays in progress.
    fake.route('GET', /^\/api\/v1\/dns-zones\/$/, (req) => void hanging.push(req));
    const config = loadConfig({ VPSORG_API_URL: fake.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN });
    const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: 600_000 });
    http = await startHttpServer({ factory: createServerFactory(config, { api }), security: httpSecurity({ host: '127.0.0.1', key: KEY, auth: true }), port: 0 });
  });
  afterAll(async () => {
    await http?.close();
    await fake?.close();
  });

  function post(onStatus?: (status: number) => void): ClientRequest {
    const url = new URL(http.url);
    const req = httpRequest({
      host: url.hostname, port: url.port, path: url.pathname, method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${KEY}`, 'mcp-protocol-version': '2025-06-18' },
    }, (res) => {
      onStatus?.(res.statusCode ?? 0);
      res.resume();
    });
    req.on('error', () => undefined);
    req.end(CALL);
    return req;
  }

  const until = async (ok: () => boolean) => {
    while (!ok()) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('a disconnect cancels the tool call\'s API request', async () => {
    const req = post();
    await until(() => hanging.length === 1);
    const apiRequest = hanging[0] as IncomingMessage;
    const closed = new Promise((resolve) => apiRequest.socket.on('close', resolve));
    req.destroy();
    await closed;
  });

  it(`serves one client at most ${MAX_REQUESTS_PER_CLIENT} requests at once; the next gets 503 with Retry-After`, async () => {
    const before = hanging.length;
    const held = Array.from({ length: MAX_REQUESTS_PER_CLIENT }, () => post());
    await until(() => hanging.length - before === MAX_REQUESTS_PER_CLIENT);
    const status = await new Promise<number>((resolve) => post(resolve));
    expect(status).toBe(503);
    for (const r of held) r.destroy();
  });

  it('control bytes in a request header are escaped in the log line', async () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const url = new URL(http.url);
      await new Promise<void>((resolve) => {
        const s = connect(Number(url.port), url.hostname, () => {
          s.end(Buffer.from(`POST /mcp HTTP/1.1\r\nHost: evil\x9b2J\x85fake log line\r\nContent-Length: 0\r\n\r\n`, 'latin1'));
        });
        s.on('data', () => s.destroy());
        s.on('close', () => resolve());
      });
      const logged = spy.mock.calls.map((c) => String(c[0])).join('');
      expect(logged).toContain('evil');
      expect(logged).not.toMatch(/[\u0080-\u009f]/);
      expect(logged).toContain('\\u{9b}');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('admission (src/http/admission.ts)', () => {
  it('holds every client to its share and all of them to the total, and frees a slot once', () => {
    const gate = admission({ total: 3, perClient: 2 });
    const a1 = gate.admit('a');
    const a2 = gate.admit('a');
    expect([a1.ok, a2.ok, gate.admit('a').ok]).toEqual([true, true, false]);
    const b1 = gate.admit('b');
    expect(b1.ok).toBe(true);
    const c = gate.admit('c');
    expect(c).toMatchObject({ ok: false, reason: expect.stringMatching(/3 requests already in progress/) });
    if (a1.ok) {
      a1.release();
      a1.release();
    }
    expect(gate.admit('c').ok).toBe(true);
    expect(gate.admit('c').ok).toBe(false);
  });

  it('tells clients apart by credential and address, without keeping the credential', () => {
    expect(clientKey('Bearer k1', '127.0.0.1')).not.toBe(clientKey('Bearer k2', '127.0.0.1'));
    expect(clientKey('Bearer k1', '127.0.0.1')).not.toBe(clientKey('Bearer k1', '127.0.0.2'));
    expect(clientKey('Bearer secret-key-123', '::1')).not.toContain('secret');
    // One OAuth subject is one client, however many tokens it mints and wherever it connects from.
    expect(clientKey('Bearer t1', '127.0.0.1', 'https://idp alice')).toBe(clientKey('Bearer t2', '127.0.0.9', 'https://idp alice'));
    expect(clientKey('Bearer t1', '127.0.0.1', 'https://idp alice')).not.toBe(clientKey('Bearer t1', '127.0.0.1', 'https://idp bob'));
  });
});
