import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/api/client.js';
import { UnexpectedResponseError } from '../../src/api/errors.js';
import type { UserError } from '../../src/errors.js';

// Answers the emulator cannot give (a hostile `next`, a wrong schema, an HTML 200, a relative
// redirect), from a small real HTTP server on loopback: the client is tested over real sockets,
// never against a mocked fetch.
const TOKEN = 'vps_mock_token_abcdef';
const JSON_TYPE = { 'content-type': 'application/json' };

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Routes = Record<string, Reply | ((seen: Seen) => Reply)>;

let server: Server;
let origin = '';
let routes: Routes = {};
let seen: Seen[] = [];

beforeEach(async () => {
  routes = {};
  seen = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      const route = routes[`${s.method} ${s.url}`];
      const reply: Reply = route === undefined ? { status: 599, body: { detail: `no route for ${s.method} ${s.url}` } } : typeof route === 'function' ? route(s) : route;
      const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { ...(typeof reply.body === 'string' ? {} : JSON_TYPE), ...reply.headers, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const api = () => createApiClient({ baseUrl: origin, token: TOKEN, retryBaseMs: 1, maxRetries: 1 });
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as UserError);
const zone = (n: number) => ({ uuid: `z-${n}`, domain: `z${n}.test`, created_at: '2024-01-15T10:30:00Z', record_count: 0 });
const page = (results: unknown[], next: string | null) => ({ count: 9, next, previous: null, results });

describe('pagination links', () => {
  it('follows absolute next links on the same origin', async () => {
    routes['GET /api/v1/dns-zones/'] = { status: 200, body: page([zone(1)], `${origin}/api/v1/dns-zones/?page=2`) };
    routes['GET /api/v1/dns-zones/?page=2'] = { status: 200, body: page([zone(2)], null) };
    expect((await api().listZones()).items.map((z) => z.uuid)).toEqual(['z-1', 'z-2']);
  });

  it.each([
    ['another origin', () => 'http://127.0.0.1:10/api/v1/dns-zones/?page=2', /another origin \(127\.0\.0\.1:10\)/],
    ['another scheme', () => `${origin.replace('http:', 'https:')}/api/v1/dns-zones/?page=2`, /another origin/],
    ['a path outside the API', () => `${origin}/admin/?page=2`, /outside \/api\/v1\//],
  ])('refuses a next link to %s', async (_label, next, pattern) => {
    routes['GET /api/v1/dns-zones/'] = { status: 200, body: page([zone(1)], next()) };
    const err = await failure(api().listZones());
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toMatch(pattern);
    expect(err.message).toMatch(/refusing to send the API token/);
    // Nothing went to the refused link: the only request is the first page.
    expect(seen.map((s) => s.url)).toEqual(['/api/v1/dns-zones/']);
  });

  it('refuses a next link that loops', async () => {
    routes['GET /api/v1/dns-zones/'] = { status: 200, body: page([zone(1)], `${origin}/api/v1/dns-zones/?page=2`) };
    routes['GET /api/v1/dns-zones/?page=2'] = { status: 200, body: page([zone(2)], `${origin}/api/v1/dns-zones/?page=2`) };
    expect((await failure(api().listZones())).message).toMatch(/loops/);
  });
});

describe('schema mismatches', () => {
  it('leaves a malformed zone out of a zone list, naming its place and field (issue 21.12)', async () => {
    routes['GET /api/v1/dns-zones/'] = { status: 200, body: [zone(1), { ...zone(2), uuid: 42 }] };
    const res = await api().listZones();
    expect(res.items.map((z) => z.uuid)).toEqual([zone(1).uuid]);
    expect(res.skipped).toHaveLength(1);
    expect(res.skipped?.[0]).toMatch(/\[1\]: uuid: .*string/);
  });

  it('names the missing field of a single record', async () => {
    routes['GET /api/v1/dns-records/r1/'] = { status: 200, body: { uuid: 'r1', record_type: 'A', name: '@', ttl: 60 } };
    const err = await failure(api().getRecord('r1'));
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toMatch(/value/);
  });

  it('rejects a body that is neither an array nor a page', async () => {
    routes['GET /api/v1/dns-zones/'] = { status: 200, body: { zones: [] } };
    expect((await failure(api().listZones())).message).toMatch(/not a list of zones/);
  });

  it('summarises an HTML 200 instead of dumping it', async () => {
    const html = `<html><head><title>Login required</title><script>var secret=1</script></head><body>${'x'.repeat(5000)}</body></html>`;
    routes['GET /api/v1/dns-zones/'] = { status: 200, body: html, headers: { 'content-type': 'text/html' } };
    // The host answers GET /account/me/ as the API does: a page on one path is that path's problem, not a wrong URL.
    routes['GET /api/v1/account/me/'] = { status: 200, body: { account: { email: 'a@example.com' }, token: { name: 't', permissions: [] } } };
    const err = await failure(api().listZones());
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.quoted?.lines.join('\n')).toContain('Login required');
    expect(`${err.message}\n${err.quoted?.lines.join('\n')}`).not.toMatch(/<|secret|xxxxx/);
    // Without that answer, the same page names the URL as the problem.
    delete routes['GET /api/v1/account/me/'];
    const wrong = await failure(api().listZones());
    expect(wrong.code).toBe('wrong_api_url');
    expect(wrong.message).toMatch(/^VPSORG_API_URL \(http:\/\/127\.0\.0\.1:\d+\) does not look like the VPS\.org API: GET \/api\/v1\/dns-zones\/ answered 200, and GET \/api\/v1\/account\/me\/ \(which the API answers for any token\) answered 599 with JSON that is not the account information; check the URL/);
  });
});

describe('headers and bodies sent', () => {
  it('sends the bearer token, JSON content type on writes, and the body', async () => {
    routes['POST /api/v1/dns-zones/'] = { status: 201, body: { ...zone(7), records: [] } };
    await api().createZone('z7.test');
    const post = seen.find((s) => s.method === 'POST');
    expect(post?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' });
    expect(JSON.parse(post?.body ?? '')).toEqual({ domain: 'z7.test' });
  });

  it('a redirect with a relative location is refused too', async () => {
    routes['GET /api/v1/dns-zones/'] = { status: 301, body: '', headers: { location: '/login/?next=/api/' } };
    const err = await failure(api().listZones());
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toMatch(/relative location/);
    expect(err.message).not.toContain('/login/');
    // Not followed: the server saw exactly one request.
    expect(seen).toHaveLength(1);
  });
});
