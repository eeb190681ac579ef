/**
 * Issue 12 point 8, the Tasks extension (io.modelcontextprotocol/tasks, 2026-07-28): a client that
 * declares it gets a task for a check_propagation wait instead of an inline wait with a resume
 * handle. The client is @modelcontextprotocol/ext-tasks (not ours): it reads the task, polls
 * tasks/get at the interval we suggest and settles on the result; its raw dispatch posts each
 * request over our HTTP transport as the spec's routing headers say. Against the sandbox's
 * nameservers, the slow one publishing 6 s after a change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createTaskSessionFromClient, resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { loadConfig } from '../../src/config.js';
import { createApiClient } from '../../src/api/client.js';
import { createServerFactory } from '../../src/server.js';
import { httpSecurity } from '../../src/http/guard.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { V2, dispatcher, type Sent } from '../helpers/tasks-wire.js';

const SECRET = 'replicas-share-this-task-secret';
let sb: Sandbox;
const replicas: RunningHttpServer[] = [];

async function replica(extra: Record<string, string> = {}): Promise<RunningHttpServer> {
  const config = loadConfig({ ...sb.env, VPSORG_CONFIRM_SECRET: SECRET, ...extra });
  const api = createApiClient({ baseUrl: config.apiUrl, token: config.token, timeoutMs: 5000 });
  const http = await startHttpServer({ factory: createServerFactory(config, { api }), security: httpSecurity({ host: '127.0.0.1', key: undefined, auth: false }), port: 0 });
  replicas.push(http);
  return http;
}

beforeAll(async () => {
  sb = await startSandbox({ publishDelayMs: [0, 6000] });
}, 30_000);
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await sb?.close();
});

async function session(http: RunningHttpServer, urls: () => string, log: Sent[]) {
  const client = new Client({ name: 'tasks-test', version: '1' }, { versionNegotiation: { mode: { pin: V2 } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  const tasks = createTaskSessionFromClient(client, {
    endpointId: 'vpsorg-dns-mcp-test',
    rawDispatch: dispatcher(urls, log),
    v2RequestFraming: { protocolVersion: V2, clientInfo: { name: 'tasks-test', version: '1' }, clientCapabilities: {} },
  });
  return { client, tasks };
}

describe('the Tasks extension for check_propagation waits', () => {
  it('declares the extension; a long wait becomes a task that ext-tasks polls to in_sync, across replicas', async () => {
    const a = await replica();
    const b = await replica();
    const log: Sent[] = [];
    let n = 0;
    // Every request after the task is created goes to the other replica in turn: the task id is the state.
    const { client, tasks } = await session(a, () => (n++ % 2 ? b.url : a.url), log);
    try {
      expect(client.getServerCapabilities()?.extensions?.['io.modelcontextprotocol/tasks']).toEqual({});
      const made = (await client.callTool({ name: 'create_record', arguments: { zone: 'example.com', record_type: 'A', name: 'task1', value: '192.0.2.71', ttl: 300 } })) as { isError?: boolean };
      expect(made.isError).toBeFalsy();
      const started = Date.now();
      const execution = await tasks.callTool('check_propagation', { zone: 'example.com', name: 'task1', record_type: 'A', wait_seconds: 60 });
      // The call answered at once with a task (not after an inline wait).
      expect(execution.kind).toBe('task');
      expect(Date.now() - started).toBeLessThan(5000);
      const seen: string[] = [];
      const { outcome } = await execution.settle({ onEvent: (e) => void (e.type === 'task' && seen.push(e.task.status)) });
      const result = resultFromTaskOutcome(outcome) as { structuredContent?: { propagated: boolean; resume?: string; result: { expected: string[] } }; isError?: boolean };
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent?.propagated).toBe(true);
      expect(result.structuredContent?.resume).toBeUndefined();
      expect(result.structuredContent?.result.expected).toEqual(['192.0.2.71']);
      const gets = log.filter((s) => s.method === 'tasks/get');
      expect(gets.length).toBeGreaterThan(1);
      // The wait needed the slow server: it was working before it completed.
      expect(seen).toContain('working');
      // The task request carried the declaration; the id is the same on every poll.
      const call = log.find((s) => s.method === 'tools/call');
      expect(((call?.params['_meta'] as Record<string, { extensions?: Record<string, unknown> }>)['io.modelcontextprotocol/clientCapabilities']?.extensions)?.['io.modelcontextprotocol/tasks']).toEqual({});
      expect(new Set(gets.map((g) => g.params['taskId'])).size).toBe(1);
    } finally {
      await tasks.close();
      await client.close();
    }
  }, 60_000);

  it('without the declaration, or with a wait the first round ends, the answer is the ordinary result', async () => {
    const a = await replica();
    const client = new Client({ name: 'plain', version: '1' }, { versionNegotiation: { mode: { pin: V2 } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(a.url)));
    try {
      await client.callTool({ name: 'create_record', arguments: { zone: 'example.com', record_type: 'A', name: 'task2', value: '192.0.2.72', ttl: 300 } });
      const r = (await client.callTool({ name: 'check_propagation', arguments: { zone: 'example.com', name: 'task2', record_type: 'A', wait_seconds: 2 } })) as { structuredContent?: Record<string, unknown> };
      expect(r.structuredContent?.['propagated']).toBe(false);
      expect('taskId' in (r as object)).toBe(false);
    } finally {
      await client.close();
    }
    const log: Sent[] = [];
    const { client: c2, tasks } = await session(a, () => a.url, log);
    try {
      // An existing, long-published record: in sync at the first round, so no task.
      const execution = await tasks.callTool('check_propagation', { zone: 'example.com', name: 'www', record_type: 'A', wait_seconds: 60 });
      expect(execution.kind).toBe('immediate');
      const { outcome } = await execution.settle();
      expect((resultFromTaskOutcome(outcome) as { structuredContent?: { propagated: boolean } }).structuredContent?.propagated).toBe(true);
    } finally {
      await tasks.close();
      await c2.close();
    }
  }, 30_000);

  it('tasks/cancel is acknowledged and the task then reads cancelled; a forged or foreign id is an error', async () => {
    const a = await replica();
    const other = await replica({ VPSORG_CONFIRM_SECRET: 'another-secret-entirely-0123' });
    const log: Sent[] = [];
    const { client, tasks } = await session(a, () => a.url, log);
    try {
      await client.callTool({ name: 'create_record', arguments: { zone: 'example.com', record_type: 'A', name: 'task3', value: '192.0.2.73', ttl: 300 } });
      const execution = await tasks.callTool('check_propagation', { zone: 'example.com', name: 'task3', record_type: 'A', wait_seconds: 60 });
      expect(execution.kind).toBe('task');
      if (execution.kind !== 'task') return;
      const id = execution.handle.taskId;
      await execution.cancel();
      expect(log.some((s) => s.method === 'tasks/cancel')).toBe(true);
      const snap = await tasks.task(id).snapshot();
      expect(snap.status).toBe('cancelled');
      const raw = dispatcher(() => a.url, []);
      const forged = await raw({ jsonrpc: '2.0', id: 9, method: 'tasks/get', params: { taskId: `${id.slice(0, -4)}AAAA`, _meta: { 'io.modelcontextprotocol/protocolVersion': V2, 'io.modelcontextprotocol/clientInfo': { name: 'x', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': { extensions: { 'io.modelcontextprotocol/tasks': {} } } } } });
      expect(forged.kind).toBe('error');
      expect(JSON.stringify(forged)).toMatch(/Unknown task: it failed its integrity check/);
      const foreign = await dispatcher(() => other.url, [])({ jsonrpc: '2.0', id: 10, method: 'tasks/get', params: { taskId: id, _meta: { 'io.modelcontextprotocol/protocolVersion': V2, 'io.modelcontextprotocol/clientInfo': { name: 'x', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} } } });
      expect(foreign.kind).toBe('error');
    } finally {
      await tasks.close();
      await client.close();
    }
  }, 30_000);
});
