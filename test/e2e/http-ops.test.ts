/**
 * Issue 24 point 4, on the built server as an operator runs it (--http): /healthz answers while the
 * process lives, /readyz says whether VPS.org answers, and /metrics (only with VPSORG_METRICS_TOKEN,
 * behind that token) is Prometheus text that a real parser reads, counting tool calls by tool and
 * outcome, gate decisions by effect, and API latency.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import parsePrometheus from 'parse-prometheus-text-format';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { BIN } from '../helpers/cli.js';

const KEY = 'test-access-key-0123456789abcdef';
const METRICS = 'metrics-token-0123456789abcdef';

interface Served { url: string; child: ChildProcess; stderr: () => string }

async function serve(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [BIN, '--http', '--port', '0'], { env: { PATH: process.env['PATH'] ?? '', VPSORG_JOURNAL: 'off', VPSORG_MCP_HTTP_KEY: KEY, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  for (let i = 0; i < 800 && !/at http:\/\/127\.0\.0\.1:\d+\/mcp/.test(err) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 25));
  const url = /(http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(err)?.[1];
  if (!url) throw new Error(`the server did not start: ${err}`);
  return { url, child, stderr: () => err };
}

async function stop(s: Served | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  s.child.kill('SIGTERM');
  await new Promise((r) => s.child.once('exit', r));
}

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

let emu: Emulator;
let up: Served;
let down: Served;
let off: Served;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  // The third is the same server with its provider gone (nothing listens on port 9 of loopback).
  [up, down, off] = await Promise.all([
    serve({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_METRICS_TOKEN: METRICS }),
    serve({ VPSORG_API_URL: 'http://127.0.0.1:9', VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN }),
    serve({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([stop(up), stop(down), stop(off)]);
  await emu?.close();
});

describe('probes', () => {
  it('/healthz answers 200 without the access key, whatever VPS.org does', async () => {
    for (const s of [up, down]) expect(await get(`${s.url}/healthz`)).toMatchObject({ status: 200, text: '{"status":"ok"}' });
  });

  it('/readyz is 200 while VPS.org answers and 503 when it does not, naming the failing check only', async () => {
    const ready = await get(`${up.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ status: 'ready', checks: { vpsorg: 'ok' } });
    const notReady = await get(`${down.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.text)).toEqual({ status: 'not_ready', checks: { vpsorg: 'failing' } });
    // Why goes to the operator's log, not to whoever can reach the port.
    expect(down.stderr()).toMatch(/readyz: vpsorg is not ready: .*127\.0\.0\.1:9/);
  });
});

describe('/metrics', () => {
  it('is off without VPSORG_METRICS_TOKEN, and refused without the right token', async () => {
    expect((await get(`${off.url}/metrics`)).status).toBe(404);
    expect((await get(`${up.url}/metrics`)).status).toBe(401);
    expect((await get(`${up.url}/metrics`, { authorization: `Bearer ${KEY}` })).status).toBe(401);
  });

  it('counts tool calls by tool and outcome, gate decisions by effect, and API latency, as Prometheus text', async () => {
    const client = new Client({ name: 'ops-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${up.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${KEY}` } } }));
    try {
      await client.callTool({ name: 'list_zones', arguments: {} });
      await client.callTool({ name: 'list_records', arguments: { zone: 'no-such-zone.example' } });
      await client.callTool({ name: 'create_record', arguments: { zone: 'example.com', name: 'metrics', record_type: 'A', value: '192.0.2.7' } });
      await client.callTool({ name: 'delete_record', arguments: { zone: 'example.com', name: 'www', record_type: 'CNAME' } });
    } finally {
      await client.close();
    }
    const res = await get(`${up.url}/metrics`, { authorization: `Bearer ${METRICS}` });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = new Map(parsePrometheus(res.text).map((f) => [f.name, f]));
    const sample = (name: string, labels: Record<string, string>) => families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));

    expect(families.get('vpsorg_tool_calls_total')?.type).toBe('COUNTER');
    expect(sample('vpsorg_tool_calls_total', { tool: 'list_zones', outcome: 'ok' })?.value).toBe('1');
    expect(sample('vpsorg_tool_calls_total', { tool: 'list_records', outcome: 'error', error_type: 'not_found' })?.value).toBe('1');
    expect(sample('vpsorg_gate_decisions_total', { effect: 'none', decision: 'allowed' })?.value).toBe('1');
    expect(sample('vpsorg_gate_decisions_total', { effect: 'delete', decision: 'required' })?.value).toBe('1');
    // The parser folds a histogram's series into one (its buckets by `le`): enough to see that requests were timed.
    const api = families.get('vpsorg_api_request_duration_seconds');
    expect(api?.type).toBe('HISTOGRAM');
    expect(Number(api?.metrics[0]?.buckets?.['+Inf'])).toBeGreaterThanOrEqual(1);
    expect(families.get('vpsorg_dns_query_duration_seconds')?.type).toBe('HISTOGRAM');
    // Neither the API token nor the access keys appear.
    for (const secret of [DEFAULT_TEST_TOKEN, KEY, METRICS]) expect(res.text).not.toContain(secret);
  });
});

/** dist/index.js and every chunk it imports statically, transitively: what every start loads. */
function startPath(file = resolve(BIN), seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|[;}\s])import\s*(?:[^'"()]*?from\s*)?["'](\.[^"']+)["']/g)) startPath(resolve(dirname(file), m[1]!), seen);
  return seen;
}

describe('what a start without these settings loads', () => {
  it('neither prom-client nor OpenTelemetry: they are chunks of their own, loaded on demand', () => {
    const loaded = [...startPath()];
    const chunks = readdirSync(resolve(dirname(BIN), 'chunks')).map((f) => resolve(dirname(BIN), 'chunks', f));
    // Strings only these libraries hold: prom-client's default metric names, OpenTelemetry's resource attributes.
    const holding = (text: string) => chunks.filter((f) => readFileSync(f, 'utf8').includes(text));
    const prom = holding('process_cpu_user_seconds_total');
    const otel = holding('telemetry.sdk.language');
    expect(prom.length).toBeGreaterThan(0);
    expect(otel.length).toBeGreaterThan(0);
    expect(loaded.filter((f) => prom.includes(f) || otel.includes(f))).toEqual([]);
    expect(loaded.length).toBeGreaterThan(1);
  });
});
