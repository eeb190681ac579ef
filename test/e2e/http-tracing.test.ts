/**
 * Issue 24 point 4, traces: a tools/call over HTTP is one SERVER span named as the MCP semantic
 * conventions say (`tools/call {tool}`), whose parent is the `traceparent` the client sent in the
 * request's `_meta`, with one CLIENT child per VPS.org request. The exporter is OpenTelemetry's own
 * in-memory one; the server, the emulator and the client are the real ones, over real HTTP.
 * Also: the readiness hook a shared state store will use answers 503 when its check fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startEmulator, DEFAULT_TEST_TOKEN, type Emulator } from '../../src/emulator/index.js';
import { loadConfig } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { createServerFactory } from '../../src/server.js';
import { httpSecurity } from '../../src/http/guard.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { pathTemplate } from '../../src/api/transport.js';
import { addObserver } from '../../src/telemetry/index.js';
import { createTracing, type Tracing } from '../../src/telemetry/tracing.js';
import { reply, startFakeDns, type FakeDns } from '../helpers/fake-dns.js';

const KEY = 'test-access-key-0123456789abcdef';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';

let emu: Emulator;
let http: RunningHttpServer;
let exporter: InMemorySpanExporter;
let tracing: Tracing;
let remove: () => void;
let storeUp = true;
let dns: FakeDns;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo' });
  // An authoritative server that answers every A question with 192.0.2.9.
  dns = await startFakeDns((q, out) => out.send(reply(q, { answers: q.type === 'A' ? [{ name: q.name, type: 'A', ttl: 60, class: 'IN', data: '192.0.2.9' }] : [] })));
  exporter = new InMemorySpanExporter();
  tracing = createTracing(new SimpleSpanProcessor(exporter), 'test');
  remove = addObserver(tracing.observer);
  const config = loadConfig({ VPSORG_API_URL: emu.url, VPSORG_API_TOKEN: DEFAULT_TEST_TOKEN, VPSORG_JOURNAL: 'off', VPSORG_NAMESERVERS: `${dns.address}:${dns.port}`, VPSORG_ALLOW_PRIVATE_NAMESERVERS: 'true' });
  const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: 5000 });
  const state = { name: 'state', check: async () => { if (!storeUp) throw new Error('store down'); } };
  http = await startHttpServer({ factory: createServerFactory(config, { api, transport: { transport: 'http' } }), security: httpSecurity({ host: '127.0.0.1', key: KEY, auth: true }), port: 0, ops: { readiness: [state] } });
});
afterAll(async () => {
  remove?.();
  await tracing?.shutdown();
  await http?.close();
  await emu?.close();
  await dns?.close();
});

async function call(name: string, args: Record<string, unknown>, meta?: Record<string, string>): Promise<void> {
  const client = new Client({ name: 'trace-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { authorization: `Bearer ${KEY}` } } }));
  try {
    await client.callTool({ name, arguments: args, ...(meta ? { _meta: meta } : {}) });
  } finally {
    await client.close();
  }
}

const children = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('traces', () => {
  it('a tools/call is a server span under the client\'s traceparent, with one child per VPS.org request', async () => {
    exporter.reset();
    emu.requests.length = 0;
    await call('create_record', { zone: 'example.com', name: 'traced', record_type: 'A', value: '192.0.2.9' }, { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` });
    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.kind === SpanKind.SERVER);
    expect(server?.name).toBe('tools/call create_record');
    expect(server?.spanContext().traceId).toBe(TRACE_ID);
    expect(server?.parentSpanContext?.spanId).toBe(CLIENT_SPAN);
    expect(server?.parentSpanContext?.isRemote).toBe(true);
    expect(server?.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'create_record', 'gen_ai.operation.name': 'execute_tool', 'network.transport': 'tcp' });
    // Every API request the emulator saw for this call is one child span, and nothing else is.
    const api = children(spans, server as ReadableSpan);
    const requests = emu.requests.filter((r) => r.path.startsWith('/api/v1/'));
    expect(api.length).toBeGreaterThanOrEqual(2);
    expect(api).toHaveLength(requests.length);
    expect(api.map((s) => s.name).sort()).toEqual(requests.map((r) => `${r.method} ${pathTemplate(r.path)}`).sort());
    for (const s of api) {
      expect(s.kind).toBe(SpanKind.CLIENT);
      expect(s.spanContext().traceId).toBe(TRACE_ID);
      expect(s.attributes['http.response.status_code']).toBeTypeOf('number');
    }
    expect(api.some((s) => s.attributes['http.request.method'] === 'POST')).toBe(true);
  });

  it('a DNS question asked for a call is a child span of it, named and attributed as the DNS conventions say', async () => {
    exporter.reset();
    dns.queries.length = 0;
    await call('check_propagation', { zone: 'example.com', name: 'traced', record_type: 'A', expected: ['192.0.2.9'] }, { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` });
    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.kind === SpanKind.SERVER);
    expect(server?.name).toBe('tools/call check_propagation');
    const asked = children(spans, server as ReadableSpan).filter((s) => s.name.startsWith('DNS '));
    expect(dns.queries.length).toBeGreaterThanOrEqual(1);
    expect(asked).toHaveLength(dns.queries.length);
    expect(asked[0]?.name).toBe('DNS A');
    expect(asked[0]?.attributes).toMatchObject({ 'dns.question.name': 'traced.example.com', 'server.address': dns.address, 'server.port': dns.port, 'dns.response.code': 'NOERROR', 'network.transport': 'udp' });
  });

  it('without a traceparent the call starts its own trace; a failed call is marked as a tool error', async () => {
    exporter.reset();
    await call('list_records', { zone: 'no-such-zone.example' });
    const server = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER);
    expect(server?.name).toBe('tools/call list_records');
    expect(server?.parentSpanContext).toBeUndefined();
    expect(server?.status.code).toBe(SpanStatusCode.ERROR);
    expect(server?.attributes).toMatchObject({ 'error.type': 'tool_error', 'vpsorg.error.code': 'not_found' });
  });
});

describe('readiness hook', () => {
  it('a registered check (a state store, later) that fails makes /readyz answer 503', async () => {
    const base = http.url.replace(/\/mcp$/, '');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    storeUp = false;
    // Verdicts are cached for a few seconds (probes must not hammer what they check): wait for a fresh one.
    let status = 200;
    for (let i = 0; i < 100 && status === 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await fetch(`${base}/readyz`)).status;
    }
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not_ready', checks: { state: 'failing' } });
  });
});
