/**
 * The HTTP transport as an OAuth 2.1 resource server (issue 23), against a real authorization
 * server (oidc-provider, test/helpers/oidc.ts) and real clients: the 401 that points at the
 * metadata, sign-in with authorization code + PKCE (SDK v2, protocol 2026-07-28; SDK v1,
 * 2025-11-25), the tokens that must be refused, tools by scope, and the step-up challenge.
 */
import { execFile } from 'node:child_process';
import { BIN } from '../helpers/cli.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2, UnauthorizedError } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Emulator } from '../../src/emulator/index.js';
import type { TestIssuer } from '../helpers/oidc.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.js';
import { HeadlessOAuthClient } from '../helpers/oauth-client.js';
import { seed } from './safety-helpers.js';

let world: OAuthServer;
let emu: Emulator;
let as: TestIssuer;
let mcp: string;
let journal: string;

beforeAll(async () => {
  world = await startOAuthServer({ env: { VPSORG_CONFIRM_MODE: 'token' } });
  ({ emu, as, mcp, journal } = world);
  as.resources.add('http://127.0.0.1:9/other-mcp');
});
afterAll(() => world?.close());
beforeEach(() => {
  seed(emu);
  as.reset();
});

const has = (name: string, type: string) => (emu.store.findZone('example.com')?.records ?? []).some((r) => r.name === name && r.record_type === type);
const bearer = (token: string) => ({ requestInit: { headers: { Authorization: `Bearer ${token}` } } });
const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
const call = (name: string, args: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: args } });

/** A raw 2025-era POST to the MCP endpoint. */
async function post(body: unknown, token?: string): Promise<{ status: number; challenge: string; text: string }> {
  const res = await fetch(mcp, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, challenge: res.headers.get('www-authenticate') ?? '', text: await res.text() };
}

/** Signs in with code + PKCE the way an SDK v2 client does on a 401: connect, sign in, finishAuth, connect again. */
async function signInV2(oauth: HeadlessOAuthClient): Promise<ClientV2> {
  const mk = () => new HttpV2(new URL(mcp), { authProvider: oauth as never });
  const client = new ClientV2({ name: 'v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  const first = mk();
  await client.connect(first).catch((err: unknown) => {
    if (!(err instanceof UnauthorizedError)) throw err;
  });
  if (oauth.callback) await first.finishAuth(oauth.callback);
  const again = new ClientV2({ name: 'v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await again.connect(mk());
  return again;
}

describe('discovery', () => {
  it('no token: 401 pointing at the protected resource metadata, which names the issuer and this resource', async () => {
    const r = await post(listTools);
    expect(r.status).toBe(401);
    const meta = `http://127.0.0.1:${new URL(mcp).port}/.well-known/oauth-protected-resource/mcp`;
    expect(r.challenge).toContain(`resource_metadata="${meta}"`);
    expect(r.challenge).toContain('scope="dns.read dns.write dns.delete"');
    const doc = (await (await fetch(meta)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({ resource: mcp, authorization_servers: [as.issuer], scopes_supported: ['dns.read', 'dns.write', 'dns.delete', 'dns.approve'] });
  });
});

describe('sign-in', () => {
  it('an SDK v2 client (2026-07-28) signs in with authorization code + PKCE and lists tools', async () => {
    const oauth = new HeadlessOAuthClient();
    const client = await signInV2(oauth);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['list_zones', 'create_record', 'delete_record']));
    expect(oauth.asked[0]).toContain('dns.write');
    await client.close();
  });

  it('an SDK v1 client (2025-11-25) signs in the same way', async () => {
    const oauth = new HeadlessOAuthClient();
    const mk = () => new HttpV1(new URL(mcp), { authProvider: oauth as never });
    const first = mk();
    await new ClientV1({ name: 'v1', version: '1' }).connect(first).catch(() => undefined);
    expect(oauth.code).toBeDefined();
    await first.finishAuth(oauth.code as string);
    const client = new ClientV1({ name: 'v1', version: '1' });
    await client.connect(mk());
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('list_zones');
    await client.close();
  });
});

describe('tokens that are refused', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ iss: as.issuer, sub: 'mallory', aud: mcp, scope: 'dns.read dns.write dns.delete', iat: now(), exp: now() + 600, client_id: 'x' });

  it('a token for another resource (audience)', async () => {
    const other = await as.machineToken('dns.read', 'http://127.0.0.1:9/other-mcp');
    const r = await post(listTools, other);
    expect(r.status).toBe(401);
    expect(r.challenge).toContain('not issued for this server');
  });

  it('an expired one, one from another issuer, one signed by another key, and a tampered one', async () => {
    const good = await as.sign(claims());
    expect((await post(listTools, good)).status).toBe(200);
    const cases = {
      expired: await as.sign({ ...claims(), iat: now() - 7200, exp: now() - 3600 }),
      'other issuer': await as.sign({ ...claims(), iss: 'http://127.0.0.1:9' }),
      'other key': await as.sign(claims(), true),
      tampered: (() => {
        const [h, p, s] = good.split('.');
        const body = JSON.parse(Buffer.from(p as string, 'base64url').toString()) as Record<string, unknown>;
        return `${h}.${Buffer.from(JSON.stringify({ ...body, sub: 'admin' })).toString('base64url')}.${s}`;
      })(),
      opaque: 'not-a-jwt-and-no-introspection-credentials',
    };
    for (const [what, token] of Object.entries(cases)) {
      const r = await post(listTools, token);
      expect(r.status, what).toBe(401);
      expect(r.challenge, what).toContain('error="invalid_token"');
    }
  });
});

describe('tools by scope', () => {
  it('a dns.read token lists only read tools', async () => {
    const token = await as.machineToken('dns.read', mcp);
    const client = new ClientV2({ name: 'reader', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new HttpV2(new URL(mcp), bearer(token)));
    const tools = (await client.listTools()).tools;
    expect(tools.length).toBeGreaterThan(3);
    expect(tools.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name)).toEqual([]);
    await client.close();
  });

  it('delete_record with dns.read dns.write: 403 insufficient_scope naming dns.delete with what the token has; after step-up it deletes', async () => {
    const write = await as.machineToken('dns.read dns.write', mcp);
    const args = { zone: 'example.com', name: 'www', record_type: 'A' };
    const r = await post(call('delete_record', args), write);
    expect(r.status).toBe(403);
    expect(r.challenge).toContain('error="insufficient_scope"');
    expect(r.challenge).toContain('scope="dns.read dns.write dns.delete"');
    expect(has('www', 'A')).toBe(true);
    const del = await as.machineToken('dns.read dns.write dns.delete', mcp);
    const client = new ClientV2({ name: 'deleter', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new HttpV2(new URL(mcp), bearer(del)));
    const preview = (await client.callTool({ name: 'delete_record', arguments: args })) as { structuredContent?: { confirm_token?: string } };
    const done = (await client.callTool({ name: 'delete_record', arguments: { ...args, confirm_token: preview.structuredContent?.confirm_token } })) as { isError?: boolean; structuredContent?: Record<string, unknown> };
    expect(done.isError).toBeFalsy();
    expect(done.structuredContent).toMatchObject({ confirmation: 'confirmed_by_token' });
    expect(has('www', 'A')).toBe(false);
    await client.close();
  });

  it('a write whose plan deletes needs dns.delete (decided from the plan, not the tool); one that only adds does not', async () => {
    const write = await as.machineToken('dns.read dns.write', mcp);
    const keep = [{ record_type: 'A', name: '@', value: '192.0.2.1' }];
    const sync = await post(call('apply_zone', { zone: 'example.com', records: keep, mode: 'sync' }), write);
    expect(sync.status).toBe(403);
    expect(sync.challenge).toContain('scope="dns.read dns.write dns.delete"');
    const add = await post(call('apply_zone', { zone: 'example.com', records: [{ record_type: 'A', name: 'new', value: '192.0.2.99' }], mode: 'upsert' }), write);
    expect(add.status, add.text).toBe(200);
    expect(has('new', 'A')).toBe(true);
  });
});

describe('who asked', () => {
  type Listed = { isError?: boolean; structuredContent?: { changes: Array<{ change_id: string; actor?: string }> }; _meta?: Record<string, { code?: string }> };
  const bearerClient = async (scope: string) => {
    const c = new ClientV2({ name: 'machine', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await c.connect(new HttpV2(new URL(mcp), bearer(await as.machineToken(scope, mcp))));
    return c;
  };

  it('the journal entry and the receipt carry the subject; list_changes shows a caller its own, and everyone\'s only with dns.approve', async () => {
    const alice = await signInV2(new HeadlessOAuthClient());
    const args = { zone: 'example.com', name: 'api', record_type: 'A' };
    const preview = (await alice.callTool({ name: 'delete_record', arguments: args })) as { structuredContent?: { confirm_token?: string } };
    const done = (await alice.callTool({ name: 'delete_record', arguments: { ...args, confirm_token: preview.structuredContent?.confirm_token } })) as { structuredContent?: { undo?: { change_id: string; receipt: string } } };
    const undo = done.structuredContent?.undo;
    expect(undo).toBeDefined();
    const lines = readFileSync(join(journal, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { change_id: string; actor?: Record<string, string> });
    expect(lines.find((e) => e.change_id === undo?.change_id)?.actor).toMatchObject({ channel: 'oauth', iss: as.issuer, sub: 'alice' });
    const receipt = JSON.parse(Buffer.from(undo?.receipt.split('.')[1] ?? '', 'base64url').toString()) as { actor?: Record<string, string> };
    expect(receipt.actor).toMatchObject({ channel: 'oauth', sub: 'alice' });

    const own = (await alice.callTool({ name: 'list_changes', arguments: {} })) as Listed;
    expect(own.structuredContent?.changes.find((c) => c.change_id === undo?.change_id)?.actor).toMatch(/^alice \(oauth/);
    const machine = await bearerClient('dns.read');
    const theirs = (await machine.callTool({ name: 'list_changes', arguments: {} })) as Listed;
    expect(theirs.structuredContent?.changes.map((c) => c.change_id)).not.toContain(undo?.change_id);
    const all = (await machine.callTool({ name: 'list_changes', arguments: { who: 'all' } })) as Listed;
    expect(all.isError).toBe(true);
    expect(JSON.stringify(all._meta)).toContain('insufficient_scope');
    const approver = await bearerClient('dns.read dns.approve');
    const everyone = (await approver.callTool({ name: 'list_changes', arguments: { who: 'all' } })) as Listed;
    expect(everyone.structuredContent?.changes.map((c) => c.change_id)).toContain(undo?.change_id);
    await Promise.all([alice.close(), machine.close(), approver.close()]);
  });
});

describe('the CLI against a remote server (call --server, token from VPSORG_MCP_TOKEN)', () => {
  const run = (args: string[], token: string) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, 'call', ...args, '--server', mcp], { env: { PATH: process.env['PATH'] ?? '', VPSORG_MCP_TOKEN: token }, timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
  });

  it('reads with a client-credentials token, and a delete beyond its scope is refused and changes nothing', async () => {
    const token = await as.machineToken('dns.read', mcp);
    const listed = await run(['list_zones'], token);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('example.com');
    const refused = await run(['delete_record', '--zone', 'example.com', '--name', 'www', '--record-type', 'A'], token);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/403|insufficient_scope|dns\.delete/i);
    expect(refused.stderr).not.toContain(token);
    expect(has('www', 'A')).toBe(true);
  });
});
