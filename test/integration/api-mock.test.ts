import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/api/client.js';
import { UnexpectedResponseError } from '../../src/api/errors.js';
import type { UserError } from '../../src/errors.js';

// Answers the emulator cannot give (a hostile `next`, a wrong schema), from undici's MockAgent:
// no socket is opened at all (disableNetConnect), so nothing leaves the process.
const ORIGIN = 'http://127.0.0.1:9';
const TOKEN = 'vps_mock_token_abcdef';
const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };
let mock: MockAgent;
const api = () => createApiClient({ baseUrl: ORIGIN, token: TOKEN, retryBaseMs: 1, maxRetries: 1, dispatcher: mock });
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as UserError);
const zone = (n: number) => ({ uuid: `z-${n}`, domain: `z${n}.test`, created_at: '2024-01-15T10:30:00Z', record_count: 0 });
const page = (results: unknown[], next: string | null) => ({ count: 9, next, previous: null, results });

beforeEach(() => {
  mock = new MockAgent();
  mock.disableNetConnect();
});
afterEach(async () => {
  await mock.close();
});

describe('pagination links', () => {
  it('follows absolute next links on the same origin', async () => {
    const pool = mock.get(ORIGIN);
    pool.intercept({ path: '/api/v1/dns-zones/', method: 'GET' }).reply(200, page([zone(1)], `${ORIGIN}/api/v1/dns-zones/?page=2`), JSON_HEADERS);
    pool.intercept({ path: '/api/v1/dns-zones/?page=2', method: 'GET' }).reply(200, page([zone(2)], null), JSON_HEADERS);
    expect((await api().listZones()).items.map((z) => z.uuid)).toEqual(['z-1', 'z-2']);
  });

  it.each([
    ['another origin', 'http://127.0.0.1:10/api/v1/dns-zones/?page=2', /another origin \(127\.0\.0\.1:10\)/],
    ['another scheme', 'https://127.0.0.1:9/api/v1/dns-zones/?page=2', /another origin/],
    ['a path outside the API', `${ORIGIN}/admin/?page=2`, /outside \/api\/v1\//],
  ])('refuses a next link to %s', async (_label, next, pattern) => {
    mock.get(ORIGIN).intercept({ path: '/api/v1/dns-zones/', method: 'GET' }).reply(200, page([zone(1)], next), JSON_HEADERS);
    const err = await failure(api().listZones());
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toMatch(pattern);
    expect(err.message).toMatch(/refusing to send the API token/);
  });

  it('refuses a next link that loops', async () => {
    const pool = mock.get(ORIGIN);
    pool.intercept({ path: '/api/v1/dns-zones/', method: 'GET' }).reply(200, page([zone(1)], `${ORIGIN}/api/v1/dns-zones/?page=2`), JSON_HEADERS);
    pool.intercept({ path: '/api/v1/dns-zones/?page=2', method: 'GET' }).reply(200, page([zone(2)], `${ORIGIN}/api/v1/dns-zones/?page=2`), JSON_HEADERS);
    expect((await failure(api().listZones())).message).toMatch(/loops/);
  });
});

describe('schema mismatches', () => {
  it('names the offending item and field of a list', async () => {
    mock.get(ORIGIN).intercept({ path: '/api/v1/dns-zones/', method: 'GET' }).reply(200, [zone(1), { ...zone(2), uuid: 42 }], JSON_HEADERS);
    const err = await failure(api().listZones());
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toMatch(/\[1\]\.uuid/);
    expect(err.message).toMatch(/string/);
  });

  it('names the missing field of a single record', async () => {
    mock.get(ORIGIN).intercept({ path: '/api/v1/dns-records/r1/', method: 'GET' }).reply(200, { uuid: 'r1', record_type: 'A', name: '@', ttl: 60 }, JSON_HEADERS);
    const err = await failure(api().getRecord('r1'));
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toMatch(/value/);
  });

  it('rejects a body that is neither an array nor a page', async () => {
    mock.get(ORIGIN).intercept({ path: '/api/v1/dns-zones/', method: 'GET' }).reply(200, { zones: [] }, JSON_HEADERS);
    expect((await failure(api().listZones())).message).toMatch(/not a list of zones/);
  });

  it('summarises an HTML 200 instead of dumping it', async () => {
    const html = `<html><head><title>Login required</title><script>var secret=1</script></head><body>${'x'.repeat(5000)}</body></html>`;
    mock.get(ORIGIN).intercept({ path: '/api/v1/dns-zones/', method: 'GET' }).reply(200, html, { headers: { 'content-type': 'text/html' } });
    const err = await failure(api().listZones());
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toContain('Login required');
    expect(err.message).not.toMatch(/<|secret|xxxxx/);
  });
});

describe('headers and bodies sent', () => {
  it('sends the bearer token, JSON content type on writes, and the body', async () => {
    let seen: { headers: unknown; body: unknown } | undefined;
    mock.get(ORIGIN).intercept({ path: '/api/v1/dns-zones/', method: 'POST' }).reply((opts) => {
      seen = { headers: opts.headers, body: opts.body };
      return { statusCode: 201, data: { ...zone(7), records: [] }, responseOptions: JSON_HEADERS };
    });
    await api().createZone('z7.test');
    expect(seen?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' });
    expect(JSON.parse(String(seen?.body))).toEqual({ domain: 'z7.test' });
  });

  it('a redirect with a relative location is refused too', async () => {
    mock.get(ORIGIN).intercept({ path: '/api/v1/dns-zones/', method: 'GET' }).reply(301, '', { headers: { location: '/login/?next=/api/' } });
    const err = await failure(api().listZones());
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.message).toMatch(/relative location/);
    expect(err.message).not.toContain('/login/');
  });
});
