/**
 * 50 concurrent tool calls over stdio (the built server, spawned) and over HTTP (the Streamable
 * HTTP transport, in process): every response goes to its own request, none is lost, nothing is
 * applied twice; stdout carries only protocol; nothing carries the canary token.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { PERMISSIONS } from '../../src/api/types.js';
import { createApiClient } from '../../src/api/client.js';
import { loadConfig } from '../../src/config.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createServerFactory } from '../../src/server.js';
import { httpSecurity } from '../../src/http/guard.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { CANARY, figures, flush, leaks, scan, tally } from './support/recorder.js';
import { LOAD_ZONES, N_CONCURRENT, expectAnswers, expectCreatedOnce, loadCall, messagesOf } from './support/load.js';

const BIN = 'dist/index.js';
const HTTP_KEY = 'reliability-http-key-0123456789';
let emu: Emulator;
let http: RunningHttpServer;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test and npm run test:reliability do).`);
  emu = await startEmulator({ seed: 'empty', tokens: [{ token: CANARY, permissions: [...PERMISSIONS] }] });
  for (const z of LOAD_ZONES) emu.store.addZone(z.domain, z.records);
  const config = loadConfig({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: CANARY });
  const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: 5000 });
  http = await startHttpServer({ factory: createServerFactory(config, { api }), security: httpSecurity({ host: '127.0.0.1', key: HTTP_KEY, auth: true }), port: 0 });
});
afterAll(async () => {
  await http?.close();
  await emu?.close();
  flush('load');
});

const records = (zone: string) => emu.store.findZone(zone)?.records ?? [];
const childEnv = () => ({ PATH: process.env['PATH'] ?? '', VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: CANARY, VPSORG_LOG_LEVEL: 'debug' });

function rssOf(pid: number | undefined): string {
  try {
    return /VmRSS:\s+(\d+ kB)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Resolves when `check` holds for the text seen so far; rejects after `ms` with what was seen. */
function until(read: () => string, check: (text: string) => boolean, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = setInterval(() => {
      if (check(read())) {
        clearInterval(tick);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(tick);
        reject(new Error(`${what}: not complete after ${ms} ms; got ${read().slice(-500)}`));
      }
    }, 10);
  });
}

describe('over stdio (the built server)', () => {
  it(`${N_CONCURRENT} concurrent raw JSON-RPC calls: each id answered once, by its own result`, async () => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN], { env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const lines = () => out.split('\n').filter((l) => l.trim() !== '');
    try {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'load', version: '1' } } })}\n`);
      await until(() => out, (t) => t.includes('"id":0'), 15_000, 'initialize');
      const burst = [JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })];
      for (let i = 1; i <= N_CONCURRENT; i++) burst.push(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/call', params: loadCall('stdio', i - 1) }));
      // One write: the server sees all 50 before answering any.
      child.stdin.write(`${burst.join('\n')}\n`);
      await until(() => out, () => lines().length >= N_CONCURRENT + 1, 60_000, 'the 50 answers');
      const msgs = lines().map((l) => JSON.parse(l) as { jsonrpc: string; id?: number; result?: Record<string, unknown> });
      for (const m of msgs) expect(m.jsonrpc).toBe('2.0');
      const ids = msgs.map((m) => m.id).filter((id) => id !== undefined && id > 0).sort((a, b) => (a as number) - (b as number));
      expect(ids).toEqual(Array.from({ length: N_CONCURRENT }, (_, i) => i + 1));
      for (const m of msgs.filter((x) => (x.id ?? 0) > 0)) {
        expectAnswers('stdio', (m.id as number) - 1, m.result as never);
        tally.concurrent_calls++;
      }
      expectCreatedOnce(records, 'stdio');
      figures.push(`stdio server RSS after ${N_CONCURRENT} concurrent calls: ${rssOf(child.pid)}`);
    } finally {
      child.stdin.end();
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
      scan(out, 'stdio stdout');
      scan(err, 'stdio stderr');
    }
  });

  it(`${N_CONCURRENT} concurrent calls from an SDK v2 client over stdio`, async () => {
    let err = '';
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN], env: childEnv(), stderr: 'pipe' });
    transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const client = new Client({ name: 'load-v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(transport);
    try {
      await client.listTools();
      const results = await Promise.all(Array.from({ length: N_CONCURRENT }, (_, i) => client.callTool(loadCall('sdk', i))));
      results.forEach((res, i) => {
        scan(JSON.stringify(res), 'stdio sdk result');
        expectAnswers('sdk', i, res as never);
        tally.concurrent_calls++;
      });
      expectCreatedOnce(records, 'sdk');
    } finally {
      await client.close();
      scan(err, 'stdio sdk stderr');
    }
  });
});

function post(body: unknown): Promise<{ status: number; body: string }> {
  const url = new URL(http.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${HTTP_KEY}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('over HTTP', () => {
  it(`${N_CONCURRENT} concurrent raw POSTs (stateless, 2025 path): each answered with its own id and result`, async () => {
    const answers = await Promise.all(Array.from({ length: N_CONCURRENT }, (_, i) => post({ jsonrpc: '2.0', id: 1000 + i, method: 'tools/call', params: loadCall('http', i) })));
    answers.forEach((a, i) => {
      scan(a.body, 'http raw body');
      expect(a.status).toBe(200);
      const msgs = messagesOf(a.body).filter((m) => 'id' in m);
      expect(msgs.map((m) => m['id'])).toEqual([1000 + i]);
      expectAnswers('http', i, msgs[0]?.['result'] as never);
      tally.concurrent_calls++;
    });
    expectCreatedOnce(records, 'http');
  });

  it(`${N_CONCURRENT} concurrent calls from an SDK v2 client over HTTP`, async () => {
    const client = new Client({ name: 'load-http', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { Authorization: `Bearer ${HTTP_KEY}` } } }));
    try {
      await client.listTools();
      const results = await Promise.all(Array.from({ length: N_CONCURRENT }, (_, i) => client.callTool(loadCall('httpsdk', i))));
      results.forEach((res, i) => {
        scan(JSON.stringify(res), 'http sdk result');
        expectAnswers('httpsdk', i, res as never);
        tally.concurrent_calls++;
      });
      expectCreatedOnce(records, 'httpsdk');
    } finally {
      await client.close();
    }
  });

  it('no output carried the canary token', () => {
    expect(leaks).toEqual([]);
    expect(tally.mismatched_responses).toBe(0);
  });
});
