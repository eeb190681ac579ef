import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEST_TOKEN, startEmulator, type Emulator } from '../../src/emulator/index.js';

const READ_ONLY = 'vps_readonly_1111';
const NO_PERMS = 'vps_noperms_2222';
const OTHER = 'vps_other_account_3333';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let emu: Emulator;

interface Res {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

async function call(method: string, path: string, body?: unknown, token: string | null = DEFAULT_TEST_TOKEN): Promise<Res> {
  const headers: Record<string, string> = {};
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(path.startsWith('http') ? path : `${emu.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  emu = await startEmulator({
    tokens: [
      { token: DEFAULT_TEST_TOKEN, permissions: ['dns:list', 'dns:create', 'dns:update', 'dns:delete'] },
      { token: READ_ONLY, permissions: ['dns:list'], name: 'read only' },
      { token: NO_PERMS, permissions: [] },
      { token: OTHER, permissions: ['dns:list', 'dns:create', 'dns:update', 'dns:delete'], account: 'acct-2' },
    ],
  });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.store.reset();
  emu.setPageSize(null);
});

describe('zones', () => {
  it('lists, creates, filters, shows and deletes zones', async () => {
    expect((await call('GET', '/api/v1/dns-zones/')).json).toEqual([]);
    const created = await call('POST', '/api/v1/dns-zones/', { domain: 'Example.COM.' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ domain: 'example.com', record_count: 0, records: [] });
    expect(created.json.uuid).toMatch(UUID_V4);
    expect(new Date(created.json.created_at).toISOString()).toBe(created.json.created_at);
    await call('POST', '/api/v1/dns-zones/', { domain: 'myapp.io' });

    const list = await call('GET', '/api/v1/dns-zones/');
    expect(list.json.map((z: { domain: string }) => z.domain)).toEqual(['example.com', 'myapp.io']);
    expect(Object.keys(list.json[0]).sort()).toEqual(['created_at', 'domain', 'record_count', 'uuid']);
    expect((await call('GET', '/api/v1/dns-zones/?domain=myapp.io')).json).toHaveLength(1);
    expect((await call('GET', '/api/v1/dns-zones/?domain=myapp')).json).toEqual([]);

    const detail = await call('GET', `/api/v1/dns-zones/${created.json.uuid}/`);
    expect(detail.json).toEqual(created.json);

    const del = await call('DELETE', `/api/v1/dns-zones/${created.json.uuid}/`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const gone = await call('GET', `/api/v1/dns-zones/${created.json.uuid}/`);
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ detail: 'Zone not found', error_code: 'not_found' });
  });

  it('refuses a duplicate zone and an invalid domain', async () => {
    await call('POST', '/api/v1/dns-zones/', { domain: 'example.com' });
    const dup = await call('POST', '/api/v1/dns-zones/', { domain: 'EXAMPLE.com' });
    expect(dup.status).toBe(400);
    expect(dup.json).toMatchObject({ error_code: 'zone_exists', field: 'domain' });
    expect(dup.json.detail).toContain('zone already exists');
    const bad = await call('POST', '/api/v1/dns-zones/', { domain: 'not a domain' });
    expect(bad.json).toMatchObject({ error_code: 'validation_error', field: 'domain' });
    const missing = await call('POST', '/api/v1/dns-zones/', {});
    expect(missing.json).toMatchObject({ error_code: 'validation_error', field: 'domain' });
  });

  it('deleting a zone removes its records for good', async () => {
    const zone = emu.store.addZone('example.com', [{ record_type: 'A', name: 'www', value: '192.0.2.1' }]);
    const rec = zone.records?.[0]?.uuid ?? '';
    expect((await call('GET', `/api/v1/dns-records/${rec}/`)).status).toBe(200);
    await call('DELETE', `/api/v1/dns-zones/${zone.uuid}/`);
    expect((await call('GET', `/api/v1/dns-records/${rec}/`)).json).toEqual({ detail: 'Record not found', error_code: 'not_found' });
    expect(emu.store.allRecords()).toEqual([]);
  });
});

describe('records', () => {
  it('creates, lists, searches, reads, replaces, patches and deletes records', async () => {
    const zone = emu.store.addZone('example.com');
    const base = `/api/v1/dns-zones/${zone.uuid}/records/`;
    const a = await call('POST', base, { record_type: 'A', name: 'www', value: '192.0.2.1' });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({ record_type: 'A', name: 'www', value: '192.0.2.1', ttl: 3600, priority: null });
    expect(a.json.uuid).toMatch(UUID_V4);
    const mx = await call('POST', base, { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10, ttl: 300 });
    expect(mx.json).toMatchObject({ priority: 10, ttl: 300 });

    const listed = await call('GET', base);
    expect(listed.json.map((r: { uuid: string }) => r.uuid)).toEqual([a.json.uuid, mx.json.uuid]);
    expect((await call('GET', `/api/v1/dns-zones/${zone.uuid}/`)).json.record_count).toBe(2);

    const other = emu.store.addZone('other.org', [{ record_type: 'MX', name: '@', value: 'mx.other.org', priority: 5 }]);
    expect((await call('GET', '/api/v1/dns-records/')).json).toHaveLength(3);
    expect((await call('GET', `/api/v1/dns-records/?zone=${zone.uuid}`)).json).toHaveLength(2);
    expect((await call('GET', '/api/v1/dns-records/?record_type=MX')).json).toHaveLength(2);
    const both = await call('GET', `/api/v1/dns-records/?zone=${other.uuid}&record_type=MX`);
    expect(both.json.map((r: { value: string }) => r.value)).toEqual(['mx.other.org']);
    expect((await call('GET', '/api/v1/dns-records/?zone=&record_type=')).json).toHaveLength(3);

    const rec = `/api/v1/dns-records/${a.json.uuid}/`;
    expect((await call('GET', rec)).json).toEqual(a.json);
    const put = await call('PUT', rec, { record_type: 'A', name: 'web', value: '192.0.2.2' });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ uuid: a.json.uuid, name: 'web', value: '192.0.2.2', ttl: 3600, created_at: a.json.created_at });
    const putMissing = await call('PUT', rec, { record_type: 'A', name: 'web' });
    expect(putMissing.json).toMatchObject({ field: 'value', error_code: 'validation_error' });
    const patch = await call('PATCH', rec, { ttl: 1800 });
    expect(patch.json).toMatchObject({ name: 'web', value: '192.0.2.2', ttl: 1800 });
    // A PATCH is revalidated as a whole: an A turned into an MX needs a priority.
    const retype = await call('PATCH', rec, { record_type: 'MX', value: 'mx.example.com' });
    expect(retype.json).toEqual({ detail: 'MX records require a priority value', error_code: 'validation_error', field: 'priority' });
    // Updates keep the record's place in the creation order.
    expect((await call('GET', base)).json.map((r: { uuid: string }) => r.uuid)).toEqual([a.json.uuid, mx.json.uuid]);

    const del = await call('DELETE', rec);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await call('GET', rec)).status).toBe(404);
    expect((await call('GET', `/api/v1/dns-zones/${zone.uuid}/`)).json.record_count).toBe(1);
  });

  it('answers 404 for records of a missing zone', async () => {
    const res = await call('POST', '/api/v1/dns-zones/00000000-0000-4000-8000-000000000000/records/', { record_type: 'A', name: 'x', value: '192.0.2.1' });
    expect(res.json).toEqual({ detail: 'Zone not found', error_code: 'not_found' });
  });
});

describe('account', () => {
  it('shows the account and the token permissions to any valid token', async () => {
    const me = await call('GET', '/api/v1/account/me/', undefined, NO_PERMS);
    expect(me.status).toBe(200);
    expect(me.json.token).toEqual({ name: 'emulator token', permissions: [] });
    expect(Object.keys(me.json.account).sort()).toEqual(['company_name', 'created_at', 'email', 'first_name', 'last_name']);
    const ro = await call('GET', '/api/v1/account/me/', undefined, READ_ONLY);
    expect(ro.json.token).toEqual({ name: 'read only', permissions: ['dns:list'] });
  });
});

describe('authentication, permissions and routing', () => {
  const unauthorized = { detail: 'Invalid or missing API token', error_code: 'authentication_failed' };

  it('refuses missing, unknown, malformed and non-vps_ tokens with 401', async () => {
    for (const auth of [null, 'vps_unknown_token', 'abc123']) {
      const res = await call('GET', '/api/v1/dns-zones/', undefined, auth);
      expect(res.status).toBe(401);
      expect(res.json).toEqual(unauthorized);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const basic = await fetch(`${emu.url}/api/v1/account/me/`, { headers: { authorization: `Basic ${DEFAULT_TEST_TOKEN}` } });
    expect(basic.status).toBe(401);
  });

  it('names the missing permission in a 403', async () => {
    const zone = emu.store.addZone('example.com', [{ record_type: 'A', name: 'www', value: '192.0.2.1' }]);
    const rec = zone.records?.[0]?.uuid ?? '';
    const cases: Array<[string, string, unknown, string, string]> = [
      ['GET', '/api/v1/dns-zones/', undefined, NO_PERMS, 'dns:list'],
      ['GET', `/api/v1/dns-zones/${zone.uuid}/`, undefined, NO_PERMS, 'dns:list'],
      ['GET', '/api/v1/dns-records/', undefined, NO_PERMS, 'dns:list'],
      ['POST', '/api/v1/dns-zones/', { domain: 'new.com' }, READ_ONLY, 'dns:create'],
      ['POST', `/api/v1/dns-zones/${zone.uuid}/records/`, { record_type: 'A', name: 'x', value: '192.0.2.9' }, READ_ONLY, 'dns:create'],
      ['PUT', `/api/v1/dns-records/${rec}/`, { record_type: 'A', name: 'x', value: '192.0.2.9' }, READ_ONLY, 'dns:update'],
      ['PATCH', `/api/v1/dns-records/${rec}/`, { ttl: 60 }, READ_ONLY, 'dns:update'],
      ['DELETE', `/api/v1/dns-records/${rec}/`, undefined, READ_ONLY, 'dns:delete'],
      ['DELETE', `/api/v1/dns-zones/${zone.uuid}/`, undefined, READ_ONLY, 'dns:delete'],
    ];
    for (const [method, path, body, token, permission] of cases) {
      const res = await call(method, path, body, token);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json).toEqual({ detail: `Token lacks ${permission} permission`, error_code: 'permission_denied', permission });
    }
    expect(emu.store.getZone(zone.uuid)?.records).toHaveLength(1);
  });

  it('answers unknown paths, missing slashes and wrong methods with JSON', async () => {
    const unknown = await call('GET', '/api/v1/nope/');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error_code).toBe('not_found');
    expect((await call('GET', '/')).status).toBe(404);
    const noSlash = await call('GET', '/api/v1/dns-zones');
    expect(noSlash.status).toBe(404);
    expect(noSlash.json.detail).toMatch(/trailing slash/);
    const wrong = await call('PUT', '/api/v1/dns-zones/');
    expect(wrong.status).toBe(405);
    expect(wrong.json).toEqual({ detail: 'Method "PUT" not allowed.', error_code: 'method_not_allowed' });
    expect(wrong.headers.get('allow')).toContain('POST');
    // Authentication comes before the method check, as in DRF.
    expect((await call('PUT', '/api/v1/dns-zones/', undefined, null)).status).toBe(401);
  });

  it('requires a JSON object body on writes', async () => {
    const broken = await call('POST', '/api/v1/dns-zones/', '{"domain": ');
    expect(broken.status).toBe(400);
    expect(broken.json.error_code).toBe('parse_error');
    const array = await call('POST', '/api/v1/dns-zones/', '["example.com"]');
    expect(array.status).toBe(400);
    expect(array.json.error_code).toBe('parse_error');
  });
});

describe('account isolation', () => {
  it("hides another account's zones and records as 404", async () => {
    const mine = emu.store.addZone('example.com', [{ record_type: 'A', name: 'www', value: '192.0.2.1' }]);
    const rec = mine.records?.[0]?.uuid ?? '';
    const theirs = await call('POST', '/api/v1/dns-zones/', { domain: 'theirs.net' }, OTHER);
    expect(theirs.status).toBe(201);
    expect(emu.store.listZones('acct-2').map((z) => z.domain)).toEqual(['theirs.net']);

    expect((await call('GET', '/api/v1/dns-zones/', undefined, OTHER)).json.map((z: { domain: string }) => z.domain)).toEqual(['theirs.net']);
    expect((await call('GET', '/api/v1/dns-zones/')).json.map((z: { domain: string }) => z.domain)).toEqual(['example.com']);
    expect((await call('GET', `/api/v1/dns-zones/${mine.uuid}/`, undefined, OTHER)).json.detail).toBe('Zone not found');
    expect((await call('GET', `/api/v1/dns-zones/${mine.uuid}/records/`, undefined, OTHER)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/dns-zones/${mine.uuid}/`, undefined, OTHER)).status).toBe(404);
    expect((await call('GET', `/api/v1/dns-records/${rec}/`, undefined, OTHER)).json.detail).toBe('Record not found');
    expect((await call('PATCH', `/api/v1/dns-records/${rec}/`, { ttl: 60 }, OTHER)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/dns-records/${rec}/`, undefined, OTHER)).status).toBe(404);
    expect((await call('GET', `/api/v1/dns-records/?zone=${mine.uuid}`, undefined, OTHER)).json).toEqual([]);
    expect((await call('GET', '/api/v1/dns-records/', undefined, OTHER)).json).toEqual([]);
    expect(emu.store.getZone(mine.uuid)?.records?.[0]?.ttl).toBe(3600);
  });
});

describe('pagination', () => {
  async function followAll(first: string): Promise<{ items: Array<{ domain?: string; value?: string }>; pages: number }> {
    const items = [];
    let url: string | null = first;
    let pages = 0;
    while (url && pages < 20) {
      const res = await call('GET', url);
      expect(res.status).toBe(200);
      expect(Object.keys(res.json).sort()).toEqual(['count', 'next', 'previous', 'results']);
      items.push(...res.json.results);
      url = res.json.next;
      pages++;
    }
    return { items, pages };
  }

  it('pages lists with absolute next links that keep the filters', async () => {
    emu.setPageSize(2);
    for (const d of ['a.com', 'b.com', 'c.com', 'd.com', 'e.com']) emu.store.addZone(d);
    const zones = await followAll('/api/v1/dns-zones/');
    expect(zones.pages).toBe(3);
    expect(zones.items.map((z) => z.domain)).toEqual(['a.com', 'b.com', 'c.com', 'd.com', 'e.com']);

    const first = await call('GET', '/api/v1/dns-zones/');
    expect(first.json.count).toBe(5);
    expect(first.json.previous).toBeNull();
    expect(first.json.next).toBe(`${emu.url}/api/v1/dns-zones/?page=2`);
    const second = await call('GET', first.json.next);
    expect(second.json.previous).toBe(`${emu.url}/api/v1/dns-zones/`);

    const zone = emu.store.addZone('f.com', ['192.0.2.1', '192.0.2.2', '192.0.2.3'].map((value, i) => ({ record_type: 'A', name: `h${i}`, value })));
    emu.store.addZone('g.com', [{ record_type: 'TXT', name: '@', value: 'hello' }]);
    const page1 = await call('GET', '/api/v1/dns-records/?record_type=A');
    expect(new URL(page1.json.next).searchParams.get('record_type')).toBe('A');
    const records = await followAll('/api/v1/dns-records/?record_type=A');
    expect(records.items.map((r) => r.value)).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
    // The zone detail's records are never paginated.
    expect((await call('GET', `/api/v1/dns-zones/${zone.uuid}/`)).json.records).toHaveLength(3);
    expect((await call('GET', '/api/v1/dns-zones/?page=last')).json.results.map((z: { domain: string }) => z.domain)).toEqual(['g.com']);
  });

  it('answers an invalid page with 404, and an empty list as one empty page', async () => {
    emu.setPageSize(2);
    expect((await call('GET', '/api/v1/dns-zones/')).json).toEqual({ count: 0, next: null, previous: null, results: [] });
    emu.store.addZone('a.com');
    for (const page of ['0', '2', 'abc', '-1']) {
      const res = await call('GET', `/api/v1/dns-zones/?page=${page}`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ detail: 'Invalid page.' });
    }
    emu.setPageSize(null);
    expect((await call('GET', '/api/v1/dns-zones/')).json).toHaveLength(1);
  });
});

describe('DRF error style', () => {
  it('renders field errors as {field: [message]}', async () => {
    const drf = await startEmulator({ errorStyle: 'drf' });
    try {
      const zone = drf.store.addZone('example.com');
      const res = await fetch(`${drf.url}/api/v1/dns-zones/${zone.uuid}/records/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEFAULT_TEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ record_type: 'MX', name: '@', value: 'mail.example.com' }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ priority: ['MX records require a priority value'] });
      const denied = await fetch(`${drf.url}/api/v1/dns-zones/`, { headers: { authorization: 'Bearer vps_nope' } });
      expect(await denied.json()).toEqual({ detail: 'Invalid or missing API token', error_code: 'authentication_failed' });
    } finally {
      await drf.close();
    }
  });
});
