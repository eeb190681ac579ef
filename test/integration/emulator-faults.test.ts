import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEST_TOKEN, startEmulator, type Emulator } from '../../src/emulator/index.js';

let emu: Emulator;
const auth = { authorization: `Bearer ${DEFAULT_TEST_TOKEN}` };

function get(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${emu.url}${path}`, { ...init, headers: auth });
}
function createZone(domain: string, target: Emulator = emu): Promise<Response> {
  return fetch(`${target.url}/api/v1/dns-zones/`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ domain }),
  });
}
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.faults.clear();
  emu.store.reset();
  emu.requests.length = 0;
  emu.setLatency(0);
});

describe('fault injection', () => {
  it('status: JSON error with the given status, 500 by default', async () => {
    emu.faults.add({ kind: 'status' });
    emu.faults.add({ kind: 'status', status: 503 });
    const first = await get('/api/v1/dns-zones/');
    expect(first.status).toBe(500);
    expect(await first.json()).toMatchObject({ error_code: 'server_error' });
    expect((await get('/api/v1/dns-zones/')).status).toBe(503);
    expect((await get('/api/v1/dns-zones/')).status).toBe(200);
  });

  it('html: a proxy error page', async () => {
    emu.faults.add({ kind: 'html' });
    const res = await get('/api/v1/dns-zones/');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('<html>');
  });

  it('rate_limit: 429 with Retry-After only when given', async () => {
    emu.faults.add({ kind: 'rate_limit', retryAfter: 7 });
    emu.faults.add({ kind: 'rate_limit' });
    const withHeader = await get('/api/v1/dns-zones/');
    expect(withHeader.status).toBe(429);
    expect(withHeader.headers.get('retry-after')).toBe('7');
    expect(await withHeader.json()).toMatchObject({ error_code: 'throttled' });
    const without = await get('/api/v1/dns-zones/');
    expect(without.status).toBe(429);
    expect(without.headers.get('retry-after')).toBeNull();
  });

  it('drop_before: the connection dies and nothing changed', async () => {
    emu.faults.add({ kind: 'drop_before', method: 'POST' });
    await expect(createZone('dropped.com')).rejects.toThrow();
    expect(emu.store.findZone('dropped.com')).toBeUndefined();
    expect(emu.requests.at(-1)).toMatchObject({ method: 'POST', status: null, body: { domain: 'dropped.com' } });
  });

  it('drop_after: the connection dies but the change was made', async () => {
    const changed: string[] = [];
    const off = emu.onChange((uuid) => changed.push(uuid));
    emu.faults.add({ kind: 'drop_after', method: 'POST', path: '/dns-zones/' });
    await expect(createZone('landed.com')).rejects.toThrow();
    const zone = emu.store.findZone('landed.com');
    expect(zone).toBeDefined();
    expect(changed).toEqual([zone?.uuid]);
    expect(emu.requests.at(-1)?.status).toBeNull();
    off();
  });

  it('times, method and path select the requests a rule applies to', async () => {
    emu.faults.add({ kind: 'status', status: 500, times: 2, method: 'GET', path: /\/dns-records\// });
    expect((await get('/api/v1/dns-zones/')).status).toBe(200);
    expect((await createZone('a.com')).status).toBe(201);
    expect((await get('/api/v1/dns-records/')).status).toBe(500);
    expect((await get('/api/v1/dns-records/')).status).toBe(500);
    expect((await get('/api/v1/dns-records/')).status).toBe(200);

    emu.faults.add({ kind: 'status', times: Infinity });
    for (let i = 0; i < 3; i++) expect((await get('/api/v1/account/me/')).status).toBe(500);
    emu.faults.clear();
    expect((await get('/api/v1/account/me/')).status).toBe(200);
  });

  it('malformed_json, empty and redirect bodies', async () => {
    emu.faults.add({ kind: 'malformed_json' });
    const bad = await get('/api/v1/dns-zones/');
    expect(bad.status).toBe(200);
    expect(bad.headers.get('content-type')).toBe('application/json');
    await expect(bad.json()).rejects.toThrow();

    emu.faults.add({ kind: 'empty' });
    const empty = await get('/api/v1/dns-zones/');
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe('');

    emu.faults.add({ kind: 'redirect' });
    const moved = await get('/api/v1/dns-zones/', { redirect: 'manual' });
    expect(moved.status).toBe(302);
    expect(moved.headers.get('location')).toBe('http://127.0.0.1:1/elsewhere');
    emu.faults.add({ kind: 'redirect', location: `${emu.url}/api/v1/account/me/` });
    expect((await get('/api/v1/dns-zones/', { redirect: 'manual' })).headers.get('location')).toBe(`${emu.url}/api/v1/account/me/`);
  });

  it('latency: a delayed request is answered normally, after an undelayed one', async () => {
    emu.faults.add({ kind: 'latency', ms: 400, path: '/account/me/' });
    const order: string[] = [];
    const slow = get('/api/v1/account/me/').then((r) => order.push(`slow ${r.status}`));
    await until(() => emu.requests.length === 1);
    await get('/api/v1/dns-zones/').then((r) => order.push(`fast ${r.status}`));
    await slow;
    expect(order).toEqual(['fast 200', 'slow 200']);
    emu.setLatency(5);
    expect((await get('/api/v1/dns-zones/')).status).toBe(200);
  });

  it('rejects a fault rule of an unknown kind', () => {
    // @ts-expect-error: deliberately wrong kind
    expect(() => emu.faults.add({ kind: 'explode' })).toThrow(/Unknown fault kind/);
  });
});

describe('hangs end when the emulator closes', () => {
  it('hang: no answer until close()', async () => {
    const own = await startEmulator();
    own.faults.add({ kind: 'hang' });
    const pending = fetch(`${own.url}/api/v1/dns-zones/`, { headers: auth });
    await until(() => own.requests.length === 1);
    await own.close();
    await expect(pending).rejects.toThrow();
    expect(own.requests[0]?.status).toBeNull();
  });

  it('hang_after: the change is made, the answer never comes', async () => {
    const own = await startEmulator();
    own.faults.add({ kind: 'hang_after', method: 'POST' });
    const pending = fetch(`${own.url}/api/v1/dns-zones/`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ domain: 'unanswered.com' }) });
    await until(() => own.store.findZone('unanswered.com') !== undefined);
    await own.close();
    await expect(pending).rejects.toThrow();
    expect(own.requests[0]?.status).toBeNull();
  });

  it('hold: the write is made only when released, then answered', async () => {
    emu.faults.add({ kind: 'hold', method: 'POST' });
    const pending = createZone('held.com');
    await until(() => emu.requests.length === 1);
    // The emulator answers reads meanwhile: a read-back in this window does not see the write.
    expect((await get('/api/v1/dns-zones/?domain=held.com')).status).toBe(200);
    expect(emu.store.findZone('held.com')).toBeUndefined();
    expect(emu.faults.release()).toBe(1);
    expect((await pending).status).toBe(201);
    expect(emu.store.findZone('held.com')).toBeDefined();
  });

  it('hold: a held write is dropped unprocessed when the emulator closes', async () => {
    const own = await startEmulator();
    own.faults.add({ kind: 'hold', method: 'POST' });
    const pending = createZone('never.com', own);
    await until(() => own.requests.length === 1);
    await own.close();
    await expect(pending).rejects.toThrow();
    expect(own.store.findZone('never.com')).toBeUndefined();
    expect(own.requests[0]?.status).toBeNull();
  });

  it('hang_body: headers arrive, the body never finishes', async () => {
    const own = await startEmulator();
    own.faults.add({ kind: 'hang_body' });
    const res = await fetch(`${own.url}/api/v1/dns-zones/`, { headers: auth });
    expect(res.status).toBe(200);
    const body = res.text();
    await own.close();
    await expect(body).rejects.toThrow();
  });

  it('a pending latency ends with close() too', async () => {
    const own = await startEmulator({ latencyMs: 60_000 });
    const pending = fetch(`${own.url}/api/v1/dns-zones/`, { headers: auth });
    await until(() => own.requests.length === 1);
    await own.close();
    await expect(pending).rejects.toThrow();
  });
});

describe('request log and change notifications', () => {
  it('records every request in order with method, path, query, status and body', async () => {
    await get('/api/v1/dns-zones/?domain=example.com');
    await createZone('logged.com');
    await fetch(`${emu.url}/api/v1/dns-zones`, { headers: auth });
    expect(emu.requests.map(({ at: _at, ...rest }) => rest)).toEqual([
      { method: 'GET', path: '/api/v1/dns-zones/', query: 'domain=example.com', status: 200 },
      { method: 'POST', path: '/api/v1/dns-zones/', query: '', status: 201, body: { domain: 'logged.com' } },
      { method: 'GET', path: '/api/v1/dns-zones', query: '', status: 404 },
    ]);
    expect(emu.requests.every((r) => typeof r.at === 'number' && r.at > 0)).toBe(true);
  });

  it('onChange fires for each zone or record change, the serial rises, unsubscribe stops it', async () => {
    const seen: string[] = [];
    const off = emu.onChange((uuid) => seen.push(uuid));
    const created = (await (await createZone('watched.com')).json()) as { uuid: string };
    const serial0 = emu.store.serial(created.uuid);
    const rec = await fetch(`${emu.url}/api/v1/dns-zones/${created.uuid}/records/`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ record_type: 'A', name: 'www', value: '192.0.2.1' }),
    });
    const { uuid: recUuid } = (await rec.json()) as { uuid: string };
    const serial1 = emu.store.serial(created.uuid);
    expect(serial1).toBeGreaterThan(serial0);
    await fetch(`${emu.url}/api/v1/dns-records/${recUuid}/`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: '{"ttl": 120}' });
    expect(emu.store.serial(created.uuid)).toBeGreaterThan(serial1);
    await fetch(`${emu.url}/api/v1/dns-records/${recUuid}/`, { method: 'DELETE', headers: auth });
    // A failed write changes nothing and tells no one.
    await createZone('watched.com');
    await get('/api/v1/dns-zones/');
    expect(seen).toEqual([created.uuid, created.uuid, created.uuid, created.uuid]);
    off();
    await fetch(`${emu.url}/api/v1/dns-zones/${created.uuid}/`, { method: 'DELETE', headers: auth });
    expect(seen).toHaveLength(4);
  });
});
