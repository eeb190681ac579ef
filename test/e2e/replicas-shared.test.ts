/**
 * Issue 24: what two replicas sharing PostgreSQL (test/helpers/replicas.ts) must agree on beyond
 * tokens and budgets. An approval page offered by A and decided through B applies once, through
 * the call waiting on A, and B's page tells the outcome; the same approval replayed is refused on
 * either. A task cancelled through A reads cancelled through B; a task's result settled through A
 * is what B answers, even once a fresh round would say otherwise. A call waiting on A for the
 * click rides out a PostgreSQL restart, and the click made after it applies once. Against the sandbox (its
 * nameservers for the task's wait, the slow one publishing 6 s after a change).
 */
import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { REPLICA_KEY, startReplicas, type Replica, type ReplicaPair } from '../helpers/replicas.js';
import { V2, rpc, v2Meta } from '../helpers/tasks-wire.js';
import { createApiClient } from '../../src/api/client.js';
import { deletes, recordOf } from './safety-helpers.js';

const AUTH = { authorization: `Bearer ${REPLICA_KEY}` };
let sb: Sandbox;
let pair: ReplicaPair;
let a: Replica;
let b: Replica;

beforeAll(async () => {
  sb = await startSandbox({ publishDelayMs: [0, 6000] });
  // Token mode, but deleting a record needs a person: the approval page, since the client offers URL elicitation.
  pair = await startReplicas({ ...sb.env, VPSORG_CONFIRM_MODE: 'token', VPSORG_HUMAN_FOR: 'delete_record' });
  ({ a, b } = pair);
}, 90_000);
afterAll(async () => {
  await pair?.close();
  await sb?.close();
});

type Raw = { isError?: boolean; content?: Array<{ text?: string }>; structuredContent?: Record<string, unknown>; requestState?: string; inputRequests?: Record<string, { params: { url?: string } }>; _meta?: Record<string, { details?: { reason?: string } }> };

/** A 2026-07-28 client of one replica that offers URL elicitation and sees input requests instead of answering them. */
async function pageClient(r: Replica) {
  const client = new Client({ name: 'page-client', version: '1' }, { capabilities: { elicitation: { url: {} } }, inputRequired: { autoFulfill: false }, versionNegotiation: { mode: { pin: V2 } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${r.url}/mcp`), { requestInit: { headers: AUTH } }));
  const call = async (name: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) => (await (client.callTool as (p: unknown, o: unknown) => Promise<unknown>)({ name, arguments: args, ...extra }, { allowInputRequired: true })) as Raw;
  return { client, call };
}

/** The page's form token, as replica `r` serves the page. */
async function csrfOn(r: Replica, path: string): Promise<string> {
  const page = await (await fetch(`${r.url}${path}`)).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  expect(csrf, page).toBeDefined();
  return csrf as string;
}

/** The person posts the page's form to replica `r` (from the page as `r` served it: Origin is r's own). */
function post(r: Replica, path: string, csrf: string, decision: 'approve' | 'decline'): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams({ csrf, decision }).toString();
  const u = new URL(`${r.url}${path}`);
  return new Promise((done, fail) => {
    const req = request({ host: u.hostname, port: u.port, method: 'POST', path: u.pathname, headers: { origin: r.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

describe('two replicas share approvals and tasks', () => {
  it('a page offered by A and decided through B applies once, through the call waiting on A; a replay is refused on either', async () => {
    sb.emu.store.addZone('approve.example', [{ record_type: 'A', name: 'www', value: '192.0.2.10' }]);
    const args = { zone: 'approve.example', name: 'www', record_type: 'A' };
    const [onA, onB] = [await pageClient(a), await pageClient(b)];
    try {
      const asked = await onA.call('delete_record', args);
      const url = asked.inputRequests?.['confirm']?.params.url ?? '';
      expect(url.startsWith(`${a.url}/approve/`), JSON.stringify(asked)).toBe(true);
      sb.emu.requests.length = 0;
      // The client says the page was opened; A waits for the click, which lands on B.
      const waiting = onA.call('delete_record', args, { inputResponses: { confirm: { action: 'accept' } }, requestState: asked.requestState });
      const path = new URL(url).pathname;
      // Served by A (where the client was sent), decided through B.
      const csrf = await csrfOn(a, path);
      const page = await post(b, path, csrf, 'approve');
      const done = await waiting;
      expect(done.structuredContent, JSON.stringify(done.content)).toMatchObject({ confirmation: 'confirmed_by_user', applied: true });
      // B's page heard from A what became of the change.
      expect(page.status).toBe(200);
      expect(page.body).toContain('Approved and applied');
      expect(deletes(sb.emu)).toHaveLength(1);
      // The same approval again, on A and on B: refused, nothing sent.
      sb.emu.requests.length = 0;
      for (const c of [onA, onB]) {
        const again = await c.call('delete_record', args, { inputResponses: { confirm: { action: 'accept' } }, requestState: asked.requestState });
        expect(again.isError, JSON.stringify(again.content)).toBe(true);
        expect(again._meta?.['vpsorg-dns-mcp/error']?.details?.reason).toMatch(/^(unknown_approval|used)$/);
      }
      // A second click, on A this time, is refused: the decision was recorded once.
      expect((await post(a, path, csrf, 'decline')).status).toBe(409);
      expect(deletes(sb.emu)).toEqual([]);
    } finally {
      await Promise.all([onA.client.close(), onB.client.close()]);
    }
  }, 60_000);

  /** Until some replica LISTENs for approvals: a call is in its wait for the click. */
  async function untilListening(): Promise<void> {
    const c = new pg.Client({ connectionString: pair.pg.url });
    await c.connect();
    try {
      let n = 0;
      for (let i = 0; i < 600 && !n; i++) {
        n = (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN vpsorg_approvals%'")).rows[0]?.n ?? 0;
        if (!n) await new Promise((r) => setTimeout(r, 50));
      }
      expect(n).toBeGreaterThan(0);
    } finally {
      await c.end();
    }
  }

  it('a call waiting on A rides out a PostgreSQL restart; the click made after it applies once', async () => {
    sb.emu.store.addZone('restart.example', [{ record_type: 'A', name: 'www', value: '192.0.2.10' }]);
    const args = { zone: 'restart.example', name: 'www', record_type: 'A' };
    const [onA, onB] = [await pageClient(a), await pageClient(b)];
    try {
      const asked = await onA.call('delete_record', args);
      const url = asked.inputRequests?.['confirm']?.params.url ?? '';
      expect(url.startsWith(`${a.url}/approve/`), JSON.stringify(asked)).toBe(true);
      const path = new URL(url).pathname;
      const csrf = await csrfOn(a, path);
      sb.emu.requests.length = 0;
      const waiting = onA.call('delete_record', args, { inputResponses: { confirm: { action: 'accept' } }, requestState: asked.requestState });
      await untilListening();
      // Fast shutdown ends every session (the wait's listener and the pools'); the cluster stays down
      // until A's wait has met it (A logs each read that could not reach the store; a wait that gave
      // up ends the call instead), then the same one comes back.
      let hear: (d: Buffer) => void = () => undefined;
      const met = new Promise<void>((resolve) => {
        let said = '';
        hear = (d) => /state store: connect E/.test((said += d.toString())) && resolve();
      });
      a.child.stderr?.on('data', hear);
      try {
        await pair.pg.stop();
        await Promise.race([met, waiting]);
      } finally {
        a.child.stderr?.off('data', hear);
        await pair.pg.start();
      }
      expect(deletes(sb.emu)).toEqual([]);
      const page = await post(b, path, csrf, 'approve');
      const done = await waiting;
      expect(done.structuredContent, JSON.stringify(done.content)).toMatchObject({ confirmation: 'confirmed_by_user', applied: true });
      expect(page.status).toBe(200);
      expect(deletes(sb.emu)).toHaveLength(1);
      sb.emu.requests.length = 0;
      const again = await onB.call('delete_record', args, { inputResponses: { confirm: { action: 'accept' } }, requestState: asked.requestState });
      expect(again.isError, JSON.stringify(again.content)).toBe(true);
      expect(deletes(sb.emu)).toEqual([]);
    } finally {
      await Promise.all([onA.client.close(), onB.client.close()]);
    }
  }, 90_000);

  /** A check_propagation wait through A that the first round does not end: a task, by its id. */
  async function taskOn(r: Replica, name: string): Promise<string> {
    const made = await rpc(r.url + '/mcp', 'tools/call', { name: 'create_record', arguments: { zone: 'example.com', record_type: 'A', name, value: '192.0.2.81', ttl: 300 }, _meta: v2Meta(false) }, AUTH);
    expect(made['isError'], JSON.stringify(made)).toBeFalsy();
    const task = await rpc(r.url + '/mcp', 'tools/call', { name: 'check_propagation', arguments: { zone: 'example.com', name, record_type: 'A', wait_seconds: 60 }, _meta: v2Meta(true) }, AUTH);
    expect(task, JSON.stringify(task)).toMatchObject({ resultType: 'task', status: 'working', taskId: expect.any(String) });
    return task['taskId'] as string;
  }

  const get = (r: Replica, taskId: string) => rpc(r.url + '/mcp', 'tasks/get', { taskId, _meta: v2Meta(true) }, AUTH);

  it('a task cancelled through A reads cancelled through B', async () => {
    const id = await taskOn(a, 'cancel-me');
    expect(await get(b, id)).toMatchObject({ status: 'working' });
    await rpc(a.url + '/mcp', 'tasks/cancel', { taskId: id, _meta: v2Meta(true) }, AUTH);
    expect(await get(b, id)).toMatchObject({ status: 'cancelled' });
  }, 30_000);

  it('the result of a task settled through A is what B answers, even once a round of its own would differ', async () => {
    const id = await taskOn(a, 'settle-me');
    let onA = await get(a, id);
    // The slow nameserver publishes 6 s after the change; A's polls follow the suggested interval.
    for (let i = 0; i < 30 && onA['status'] === 'working'; i++) {
      await new Promise((r) => setTimeout(r, Number(onA['pollIntervalMs'] ?? 2000)));
      onA = await get(a, id);
    }
    expect(onA).toMatchObject({ status: 'completed', result: { structuredContent: { propagated: true } } });
    // The record goes: a round run by B now would not find it in sync.
    await createApiClient({ baseUrl: sb.env.VPSORG_API_URL, token: sb.env.VPSORG_API_TOKEN }).deleteRecord(recordOf(sb.emu, 'example.com', 'settle-me', 'A').uuid);
    expect(await get(b, id)).toEqual(onA);
  }, 60_000);
});
