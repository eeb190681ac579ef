/**
 * Issue 12 point 11 over HTTP: a body over the limit gets 413 and a JSON-RPC error the client can
 * read (not a broken pipe), and an unsupported MCP-Protocol-Version names every version served,
 * 2026-07-28 included. The clients are Python's urllib and Node's http module: neither is ours.
 */
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { loadConfig } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { createServerFactory } from '../../src/server.js';
import { httpSecurity } from '../../src/http/guard.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { MAX_HTTP_BODY_BYTES } from '../../src/http/body.js';

const KEY = 'test-access-key-0123456789abcdef';
const SIX_MB = 6 * 1000 * 1000;
let emu: Emulator;
let http: RunningHttpServer;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  const config = loadConfig({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN });
  const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: 2000 });
  http = await startHttpServer({ factory: createServerFactory(config, { api }), security: httpSecurity({ host: '127.0.0.1', key: KEY, auth: true }), port: 0 });
});
afterAll(async () => {
  await http.close();
  await emu.close();
});

/** A tools/call whose one argument makes the body `size` bytes. */
const bigCall = (size: number) => {
  const head = '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"import_zone_file","arguments":{"zone":"example.com","zone_file":"';
  const tail = '"}}}';
  return head + ';'.repeat(size - head.length - tail.length) + tail;
};

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${KEY}`, 'mcp-protocol-version': '2025-06-18' };

// Python writes the whole body before it reads a byte of the answer: with a server that answers
// and closes early, urlopen fails with BrokenPipeError instead of seeing the 413.
const PY = `
import json, sys, urllib.request, urllib.error
url, key, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
head = b'{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"import_zone_file","arguments":{"zone":"example.com","zone_file":"'
tail = b'"}}}'
body = head + b';' * (size - len(head) - len(tail)) + tail
req = urllib.request.Request(url, data=body, method='POST', headers={'content-type': 'application/json', 'accept': 'application/json, text/event-stream', 'authorization': 'Bearer ' + key, 'mcp-protocol-version': '2025-06-18'})
try:
    with urllib.request.urlopen(req) as r:
        print(json.dumps({'status': r.status, 'body': r.read().decode()}))
except urllib.error.HTTPError as e:
    print(json.dumps({'status': e.code, 'body': e.read().decode()}))
except Exception as e:
    print(json.dumps({'status': 0, 'body': repr(e)}))
`;

function nodePost(body: string, headers: Record<string, string>, chunked = false): Promise<{ status: number; body: string }> {
  const url = new URL(http.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: chunked ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    if (chunked) for (let i = 0; i < body.length; i += 1 << 20) req.write(body.slice(i, i + (1 << 20)));
    req.end(chunked ? undefined : body);
  });
}

function expectTooLarge(res: { status: number; body: string }, received: number) {
  expect(res.status, res.body).toBe(413);
  const json = JSON.parse(res.body) as { jsonrpc: string; error: { code: number; message: string; data: { max_bytes: number; received_bytes: number } } };
  expect(json.jsonrpc).toBe('2.0');
  expect(json.error.code).toBe(-32000);
  expect(json.error.message).toMatch(/^Request body too large: 5\.7 MiB \(6000000 bytes\) is over this server's limit of 4\.0 MiB \(4194304 bytes\)\. Nothing was done\. Send less in one call/);
  expect(json.error.data).toEqual({ max_bytes: MAX_HTTP_BODY_BYTES, received_bytes: received });
}

describe('a request body over the limit', () => {
  it('Python urllib sending 6 MB reads a 413 with a JSON-RPC error (not a broken pipe)', async () => {
    const { stdout } = await promisify(execFile)('python3', ['-c', PY, http.url, KEY, String(SIX_MB)], { maxBuffer: 1 << 20 });
    expectTooLarge(JSON.parse(stdout) as { status: number; body: string }, SIX_MB);
  });

  it('Node http, with Content-Length and chunked, gets the same answer; a body under the limit still reaches the tool', async () => {
    expectTooLarge(await nodePost(bigCall(SIX_MB), HEADERS), SIX_MB);
    expectTooLarge(await nodePost(bigCall(SIX_MB), HEADERS, true), SIX_MB);
    const small = await nodePost(bigCall(200_000), HEADERS, true);
    expect(small.status).toBe(200);
    expect(small.body).toContain('"id":7');
    expect(small.body).not.toContain('too large');
  });
});

describe('MCP-Protocol-Version', () => {
  it('an unsupported version is refused with every served version listed, 2026-07-28 among them', async () => {
    const res = await nodePost(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }), { ...HEADERS, 'mcp-protocol-version': '1999-01-01' });
    expect(res.status).toBe(400);
    const message = (JSON.parse(res.body) as { error: { message: string } }).error.message;
    expect(message).toContain('Unsupported protocol version: "1999-01-01"');
    expect(message).toMatch(/Supported versions: 2026-07-28, 2025-11-25, 2025-06-18, 2025-03-26/);
  });

  it('each listed version is accepted by the header check', async () => {
    for (const v of ['2025-11-25', '2025-06-18', '2025-03-26']) {
      const res = await nodePost(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }), { ...HEADERS, 'mcp-protocol-version': v });
      expect(res.status, `${v}: ${res.body}`).toBe(200);
    }
  });
});
