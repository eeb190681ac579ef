/**
 * A second person (issue 23.4, VPSORG_REQUIRE_DISTINCT_APPROVER=delete_zone) against a real
 * authorization server (oidc-provider, test/helpers/oidc.ts): alice asks for delete_zone over HTTP
 * with OAuth; the approval page makes whoever decides sign in (authorization code + PKCE, this
 * server as a client of the same issuer), and counts a decision only from a subject with
 * dns.approve who is not alice. The browser is fetch, following the issuer's redirects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import type { Emulator } from '../../src/emulator/index.js';
import type { RunningHttpServer } from '../../src/http/server.js';
import { routedDesk } from '../../src/http/approval-page.js';
import { pageSignIn } from '../../src/http/approval-signin.js';
import { ApprovalStore } from '../../src/safety/approval-desk.js';
import { confirmKey } from '../../src/safety/confirm.js';
import { approverSignInFor } from '../../src/auth/setup.js';
import { RESOURCE_SERVER, type TestIssuer } from '../helpers/oidc.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.js';
import { HeadlessOAuthClient } from '../helpers/oauth-client.js';
import { seed } from './safety-helpers.js';

let world: OAuthServer;
let emu: Emulator;
let as: TestIssuer;
let replica: RunningHttpServer;
let mcp: string;
let journal: string;

beforeAll(async () => {
  const store = new ApprovalStore();
  world = await startOAuthServer({
    env: {
      VPSORG_OAUTH_CLIENT_ID: RESOURCE_SERVER.clientId, VPSORG_OAUTH_CLIENT_SECRET: RESOURCE_SERVER.clientSecret,
      VPSORG_REQUIRE_DISTINCT_APPROVER: 'delete_zone', VPSORG_OAUTH_SUBJECT_CLAIM: 'oid', VPSORG_CONFIRM_SECRET: 'approver-test-secret-0123456789',
    },
    approverSignIn: true,
    parts: (config) => ({
      deps: { approvals: routedDesk(store, () => config.publicUrl!.origin) },
      http: { approvals: store, signIn: pageSignIn(approverSignInFor(config)!, false, confirmKey(config.confirmSecret)) },
    }),
  });
  ({ emu, as, mcp, journal } = world);
  // A second replica: the same approvals (the state store) and VPSORG_CONFIRM_SECRET, behind the same public URL.
  replica = await world.serve(0);
});
afterAll(() => world?.close());
beforeEach(() => {
  seed(emu);
  as.reset();
});

/** alice's MCP client: signed in (code + PKCE), declaring URL elicitation; each page URL it is shown resolves `shown`. */
async function requester(shown: (url: string) => void): Promise<Client> {
  const oauth = new HeadlessOAuthClient();
  const transport = () => new StreamableHTTPClientTransport(new URL(mcp), { authProvider: oauth as never });
  const first = transport();
  await new Client({ name: 'alice', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } }).connect(first).catch((err: unknown) => {
    if (!(err instanceof UnauthorizedError)) throw err;
  });
  if (oauth.callback) await first.finishAuth(oauth.callback);
  const client = new Client({ name: 'alice', version: '1' }, { capabilities: { elicitation: { url: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
  client.setRequestHandler('elicitation/create', async (req) => {
    const p = req.params as { mode?: string; url?: string };
    if (p.mode === 'url' && p.url) shown(p.url);
    return { action: 'accept' } as never;
  });
  await client.connect(transport());
  return client;
}

const unescape = (s: string) => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));

/** A person at the page: presses Approve or Decline; the page answers with the link to sign in, and sets this browser's cookie. */
async function press(page: string, decision: 'approve' | 'decline'): Promise<{ cookie: string; link: string; shown: string }> {
  const shown = unescape(await (await fetch(page)).text());
  const csrf = /name="csrf" value="([^"]+)"/.exec(shown)?.[1] ?? '';
  const posted = await fetch(page, { method: 'POST', headers: { origin: new URL(page).origin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, decision }) });
  const cookie = (posted.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^vpsorg_signin_[\w-]+=[\w-]+\.[\w-]+$/);
  const link = unescape(/id="signin" href="([^"]+)"/.exec(await posted.text())?.[1] ?? '');
  expect(link.startsWith(`${as.issuer}/`), link).toBe(true);
  return { cookie, link, shown };
}

/** The browser follows the issuer's redirects (with its own cookies there) as `subject`, granted `grant`: the callback URL it lands on. */
async function signIn(link: string, subject: string, grant: string): Promise<string> {
  as.subject = subject;
  as.grant = grant;
  const jar = new Map<string, string>();
  let next = link;
  for (let hop = 0; hop < 10 && next.startsWith(as.issuer); hop++) {
    const res = await fetch(next, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    next = new URL(res.headers.get('location') ?? '', next).href;
  }
  expect(next).toContain('/approve/callback?');
  return next;
}

async function land(callback: string, cookie: string): Promise<{ status: number; html: string }> {
  const res = await fetch(callback, { headers: cookie ? { cookie } : {} });
  return { status: res.status, html: unescape(await res.text()) };
}

/** A person at the page in their own browser: decides, signs in at the issuer as `subject` (granted `grant`), lands back on the page. */
async function decideAs(page: string, subject: string, grant: string, decision: 'approve' | 'decline' = 'approve'): Promise<{ status: number; html: string; shown: string }> {
  const { cookie, link, shown } = await press(page, decision);
  return { ...(await land(await signIn(link, subject, grant), cookie)), shown };
}

/** alice asks for delete_zone; resolves with the page URL her client was shown, and the call (which waits for the decision). */
async function aliceAsks(): Promise<{ url: string; call: Promise<{ isError?: boolean; structuredContent?: Record<string, unknown>; content?: Array<{ text?: string }> }>; settled: () => boolean; alice: Client; close: () => Promise<void> }> {
  let pageUrl!: (u: string) => void;
  const page = new Promise<string>((r) => (pageUrl = r));
  const alice = await requester((u) => pageUrl(u));
  let done = false;
  const call = alice.callTool({ name: 'delete_zone', arguments: { zone: 'example.com' } }).finally(() => (done = true)) as Promise<{ isError?: boolean; structuredContent?: Record<string, unknown>; content?: Array<{ text?: string }> }>;
  return { url: await page, call, settled: () => done, alice, close: () => alice.close() };
}

const zoneThere = () => emu.store.findZone('example.com') !== undefined;
const zoneDeletes = () => emu.requests.filter((r) => r.method === 'DELETE' && /^\/api\/v1\/dns-zones\/[^/]+\/$/.test(r.path)).length;

describe('a second person approves delete_zone', () => {
  it('alice asks; alice and bob without dns.approve are refused and nothing changes; carol with dns.approve applies it once; the journal names both', async () => {
    const { url, call, settled, alice, close } = await aliceAsks();

    const self = await decideAs(url, 'alice', 'dns.read dns.approve');
    expect(self.shown).toMatch(/Asked by <b>alice \(oauth/);
    expect(self.shown).toContain('A second person must decide');
    expect(self.status).toBe(403);
    expect(self.html).toContain('You (alice) asked for this change: a second person must approve it');
    const plain = await decideAs(url, 'bob', 'dns.read dns.write dns.delete');
    expect(plain.status).toBe(403);
    expect(plain.html).toContain('bob, who does not hold the dns.approve scope');
    // Neither counted: the call still waits, and the zone is there.
    expect(settled()).toBe(false);
    expect(zoneThere()).toBe(true);
    expect(zoneDeletes()).toBe(0);

    const carol = await decideAs(url, 'carol', 'dns.read dns.approve');
    expect(carol.status, carol.html).toBe(200);
    expect(carol.html).toContain('Approved and applied');
    const r = await call;
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ confirmation: 'confirmed_by_user' });
    expect(zoneThere()).toBe(false);
    expect(zoneDeletes()).toBe(1);
    // The page is spent: no second decision.
    expect((await fetch(url)).status).toBe(410);

    const lines = readFileSync(join(journal, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type?: string; tool?: string; actor?: Record<string, string>; approved_by?: Record<string, string> });
    const entry = lines.find((e) => e.type === 'change' && e.tool === 'delete_zone');
    expect(entry?.actor).toMatchObject({ channel: 'oauth', iss: as.issuer, sub: 'alice' });
    expect(entry?.approved_by).toMatchObject({ channel: 'oauth', iss: as.issuer, sub: 'carol' });
    // list_changes (and `vpsorg-dns-mcp changes`, its text) shows the second person beside the one who asked.
    const listed = (await alice.callTool({ name: 'list_changes', arguments: {} })) as { structuredContent?: { changes?: Array<{ tool: string; actor?: string; approved_by?: string }> }; content?: Array<{ text?: string }> };
    const row = listed.structuredContent?.changes?.find((c) => c.tool === 'delete_zone');
    expect(row).toMatchObject({ actor: expect.stringMatching(/^alice \(oauth/), approved_by: expect.stringMatching(/^carol \(oauth/) });
    expect(listed.content?.[0]?.text).toMatch(/delete_zone .* by alice \(oauth[^)]*\), approved by carol \(oauth/);
    await close();
  });

  it('VPSORG_OAUTH_SUBJECT_CLAIM=oid: alice under another sub (Entra: pairwise per application) is still alice; a token without oid has no subject', async () => {
    const { url, call, settled, close } = await aliceAsks();
    // The approval page's client sees alice as "alice-pairwise"; her oid is the one her MCP client's token carried.
    as.oids.set('alice-pairwise', 'alice');
    const self = await decideAs(url, 'alice-pairwise', 'dns.read dns.approve');
    expect(self.status).toBe(403);
    expect(self.html).toContain('You (alice) asked for this change: a second person must approve it');
    as.oids.set('nobody', null);
    const none = await decideAs(url, 'nobody', 'dns.read dns.approve');
    expect(none.status).toBe(403);
    expect(none.html).toContain('carries no subject (the claim VPSORG_OAUTH_SUBJECT_CLAIM names');
    expect(settled()).toBe(false);
    const carol = await decideAs(url, 'carol', 'dns.read dns.approve', 'decline');
    expect(carol.status, carol.html).toBe(200);
    expect((await call).structuredContent).toMatchObject({ confirmation: 'declined' });
    expect(zoneThere()).toBe(true);
    await close();
  });

  it('a sign-in finished in another browser (a link sent to an approver already signed in at the issuer), or with an altered cookie, decides nothing; in the browser that started it, through any replica, it counts', async () => {
    const { url, call, settled, close } = await aliceAsks();
    const { cookie, link } = await press(url, 'decline');
    const callback = await signIn(link, 'carol', 'dns.read dns.approve');
    const elsewhere = await land(callback, '');
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.html).toContain('not started from an approval page in this browser');
    const [name, sealed] = cookie.split('=') as [string, string];
    const [body, tag] = sealed.split('.') as [string, string];
    const turned = Buffer.from(Buffer.from(body, 'base64url').toString().replace('"declined"', '"approved"')).toString('base64url');
    expect((await land(callback, `${name}=${turned}.${tag}`)).status).toBe(400);
    expect(settled()).toBe(false);
    const viaReplica = callback.replace(new URL(mcp).origin, new URL(replica.url).origin);
    expect(viaReplica).not.toBe(callback);
    const here = await land(viaReplica, cookie);
    expect(here.status, here.html).toBe(200);
    expect(here.html).toContain('Declined');
    expect((await call).structuredContent).toMatchObject({ confirmation: 'declined' });
    expect(zoneThere()).toBe(true);
    await close();
  });
});
