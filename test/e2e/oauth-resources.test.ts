/**
 * Resources and completions under OAuth: they read through the caller's own scopes and zones claim,
 * exactly like its tools (a caller without dns.read gets none; a zones claim narrows them), and the
 * change journal resource shows a signed-in caller its own changes unless it holds dns.approve.
 * undo_change likewise takes back only the caller's own changes unless it holds dns.approve.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Emulator } from '../../src/emulator/index.js';
import type { TestIssuer } from '../helpers/oidc.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.js';
import { seed } from './safety-helpers.js';

let world: OAuthServer;
let emu: Emulator;
let as: TestIssuer;
let mcp: string;

beforeAll(async () => {
  world = await startOAuthServer({ env: { VPSORG_CONFIRM_MODE: 'token', VPSORG_OAUTH_ZONES_CLAIM: 'zones' } });
  ({ emu, as, mcp } = world);
});
afterAll(() => world?.close());
beforeEach(() => seed(emu));

const now = () => Math.floor(Date.now() / 1000);
async function clientFor(sub: string, scope: string, zones: string[]): Promise<Client> {
  const token = await as.sign({ iss: as.issuer, sub, aud: mcp, scope, zones, iat: now(), exp: now() + 600, client_id: `${sub}-app` });
  const c = new Client({ name: sub, version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await c.connect(new StreamableHTTPClientTransport(new URL(mcp), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return c;
}
const ZONEFILE = 'vpsorg://zones/example.com/zonefile';
const listed = async (c: Client) => (await c.listResources().catch(() => ({ resources: [] }))).resources.map((r) => r.uri);
const completed = async (c: Client, value: string) =>
  (await c.complete({ ref: { type: 'ref/resource', uri: 'vpsorg://zones/{domain}/zonefile' }, argument: { name: 'domain', value } }).catch(() => ({ completion: { values: [] as string[] } }))).completion.values;
const readText = async (c: Client, uri: string) => {
  const r = await c.readResource({ uri });
  return r.contents.map((x) => ('text' in x ? x.text : '')).join('');
};

describe('resources follow the caller, not the server', () => {
  it('without dns.read: no zone resources, no zone contents, no completions', async () => {
    const c = await clientFor('nobody', 'openid', ['nothing.invalid']);
    expect(await listed(c)).not.toContain(ZONEFILE);
    await expect(c.readResource({ uri: ZONEFILE })).rejects.toThrow();
    expect(await completed(c, 'ex')).toEqual([]);
    await c.close();
  });

  it('a zones claim narrows resources/list, reads and completion to its zones', async () => {
    const c = await clientFor('olga', 'dns.read', ['other.org']);
    const uris = await listed(c);
    expect(uris).toContain('vpsorg://zones/other.org/zonefile');
    expect(uris).not.toContain(ZONEFILE);
    await expect(c.readResource({ uri: ZONEFILE })).rejects.toThrow(/allow|zone/i);
    expect(await readText(c, 'vpsorg://zones/other.org/zonefile')).toContain('198.51.100.1');
    expect(await completed(c, '')).toEqual(['other.org']);
    await c.close();
  });

  it('vpsorg://changes shows a signed-in caller its own changes; everyone\'s with dns.approve', async () => {
    const alice = await clientFor('alice', 'dns.read dns.write', ['example.com']);
    const done = (await alice.callTool({ name: 'apply_zone', arguments: { zone: 'example.com', records: [{ record_type: 'A', name: 'res', value: '192.0.2.77' }], mode: 'upsert' } })) as { structuredContent?: { undo?: { change_id: string } } };
    const id = done.structuredContent?.undo?.change_id as string;
    expect(id).toBeTruthy();
    expect(await readText(alice, 'vpsorg://changes')).toContain(id);
    const bob = await clientFor('bob', 'dns.read', ['example.com']);
    expect(await readText(bob, 'vpsorg://changes')).not.toContain(id);
    const approver = await clientFor('carol', 'dns.read dns.approve', ['example.com']);
    expect(await readText(approver, 'vpsorg://changes')).toContain(id);
    await Promise.all([alice.close(), bob.close(), approver.close()]);
  });
});

describe('undo_change by another caller', () => {
  type Result = { isError?: boolean; structuredContent?: Record<string, unknown> & { undo?: { change_id: string; receipt: string } }; _meta?: unknown; content?: unknown };
  it('is refused without dns.approve (by change_id or receipt), allowed with it and for the caller who made the change', async () => {
    const alice = await clientFor('alice', 'dns.read dns.write dns.delete', ['example.com']);
    const done = (await alice.callTool({ name: 'apply_zone', arguments: { zone: 'example.com', records: [{ record_type: 'A', name: 'und', value: '192.0.2.78' }], mode: 'upsert' } })) as Result;
    const undo = done.structuredContent?.undo as { change_id: string; receipt: string };
    const bob = await clientFor('bob', 'dns.read dns.write dns.delete', ['example.com']);
    for (const args of [{ change_id: undo.change_id }, { receipt: undo.receipt }]) {
      const r = (await bob.callTool({ name: 'undo_change', arguments: { ...args, dry_run: true } })) as Result;
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r)).toContain('other_actor');
    }
    const approver = await clientFor('carol', 'dns.read dns.write dns.delete dns.approve', ['example.com']);
    const byApprover = (await approver.callTool({ name: 'undo_change', arguments: { change_id: undo.change_id, dry_run: true } })) as Result;
    expect(byApprover.isError, JSON.stringify(byApprover)).toBeFalsy();
    const own = (await alice.callTool({ name: 'undo_change', arguments: { change_id: undo.change_id, dry_run: true } })) as Result;
    expect(own.isError, JSON.stringify(own)).toBeFalsy();
    await Promise.all([alice.close(), bob.close(), approver.close()]);
  });
});
